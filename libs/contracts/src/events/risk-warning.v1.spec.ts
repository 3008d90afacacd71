import { createEnvelope, parseEnvelope } from '../envelope';
import {
  parseRiskLevelTable,
  riskWarningActive,
  riskWarningCovers,
  riskWarningSubject,
  RiskWarningLiftedV1,
  RiskWarningScopeV1,
  strongestRiskWarning,
  HeldRiskWarning,
} from './risk-warning.v1';

const COMPANY = '91320700MA1MXXK01L';
const OTHER = '91320703MA1MXXK02J';
const scope = (overrides: Partial<RiskWarningScopeV1> = {}): RiskWarningScopeV1 => ({
  regionPrefixes: [],
  industries: [],
  licenceItemCodes: [],
  usccs: [],
  ...overrides,
});

describe('what a risk warning covers (docs/domain.md §8)', () => {
  const target = { uscc: COMPANY, regionCode: '320703', itemCode: 'FOOD-BUSINESS-LICENCE' };
  it.each([
    ['a listed entity, whatever the other dimensions', scope({ usccs: [COMPANY], regionPrefixes: ['3201'] }), target, true],
    ['the region by prefix (city)', scope({ regionPrefixes: ['3207'] }), target, true],
    ['the region by prefix (district)', scope({ regionPrefixes: ['320703'] }), target, true],
    ['another region', scope({ regionPrefixes: ['320706'] }), target, false],
    ['region and item: both must match', scope({ regionPrefixes: ['3207'], licenceItemCodes: ['DRUG-RETAIL-LICENCE'] }), target, false],
    ['region and item matching', scope({ regionPrefixes: ['3207'], licenceItemCodes: ['FOOD-BUSINESS-LICENCE'] }), target, true],
    [
      'an item, without an item on the target (an entity)',
      scope({ licenceItemCodes: ['FOOD-BUSINESS-LICENCE'] }),
      { uscc: COMPANY, regionCode: '320703' },
      false,
    ],
    [
      'industry unknown here: the licence items stand for it',
      scope({ industries: ['餐饮'], licenceItemCodes: ['FOOD-BUSINESS-LICENCE'] }),
      target,
      true,
    ],
    ['industry known and different', scope({ industries: ['餐饮'] }), { ...target, industry: '药品零售' }, false],
    ['industry known and null', scope({ industries: ['餐饮'] }), { ...target, industry: null }, false],
    ['industry known and equal', scope({ industries: ['餐饮'] }), { ...target, industry: '餐饮' }, true],
    ['an empty scope covers nothing', scope(), target, false],
    ['only listed entities: another entity is not covered', scope({ usccs: [OTHER] }), target, false],
  ])('%s', (_rule, given, subject, covered) => {
    expect(riskWarningCovers(given, subject)).toBe(covered);
  });
});

describe('the warning in force', () => {
  const warning = (
    id: string,
    level: HeldRiskWarning['level'],
    raisedAt: string,
    overrides: Partial<HeldRiskWarning> = {},
  ): HeldRiskWarning => ({
    warningId: id,
    level,
    scope: scope({ regionPrefixes: ['3207'] }),
    startsAt: new Date('2026-06-01T00:00:00Z'),
    endsAt: new Date('2026-07-01T00:00:00Z'),
    endedAt: null,
    raisedAt: new Date(raisedAt),
    ...overrides,
  });
  const at = new Date('2026-06-15T00:00:00Z');
  const target = { uscc: COMPANY, regionCode: '320703', itemCode: 'X' };

  it('is active from its start, before its end, until lifted', () => {
    expect(riskWarningActive(warning('a', 'red', '2026-06-01T00:00:00Z'), at)).toBe(true);
    expect(riskWarningActive(warning('a', 'red', '2026-06-01T00:00:00Z'), new Date('2026-05-31T23:59:59Z'))).toBe(false);
    expect(riskWarningActive(warning('a', 'red', '2026-06-01T00:00:00Z'), new Date('2026-07-01T00:00:00Z'))).toBe(false);
    expect(riskWarningActive(warning('a', 'red', '2026-06-01T00:00:00Z', { endedAt: new Date('2026-06-10T00:00:00Z') }), at)).toBe(false);
  });

  it('the most serious covering one applies; of equals, the earliest raised; none: null', () => {
    const blue = warning('blue', 'blue', '2026-06-01T00:00:00Z');
    const orange = warning('orange', 'orange', '2026-06-03T00:00:00Z');
    const orangeEarlier = warning('orange-earlier', 'orange', '2026-06-02T00:00:00Z');
    const redElsewhere = warning('red', 'red', '2026-06-01T00:00:00Z', { scope: scope({ regionPrefixes: ['3201'] }) });
    const redLifted = warning('red-lifted', 'red', '2026-06-01T00:00:00Z', { endedAt: new Date('2026-06-10T00:00:00Z') });
    expect(strongestRiskWarning([blue, orange, orangeEarlier, redElsewhere, redLifted], target, at)?.warningId).toBe('orange-earlier');
    expect(strongestRiskWarning([redElsewhere, redLifted], target, at)).toBeNull();
  });
});

describe('per-level tables from configuration', () => {
  it('reads every level once', () => {
    expect(parseRiskLevelTable('blue:2,yellow:1,orange:1,red:1', 1, 250)).toEqual({ blue: 2, yellow: 1, orange: 1, red: 1 });
  });
  it.each([
    ['blue:2,yellow:1,orange:1', /missing red/],
    ['blue:2,yellow:1,orange:1,red:1,red:2', /red is given twice/],
    ['blue:2,yellow:1,orange:1,purple:1', /not level:value/],
    ['blue:0,yellow:1,orange:1,red:1', /blue: a whole number within 1..250/],
  ])('refuses %s', (text, problem) => {
    expect(() => parseRiskLevelTable(text, 1, 250)).toThrow(problem);
  });
});

describe("a risk warning's events are keyed by the warning (ADR 0071)", () => {
  const id = '6b8f0c1e-2a4d-4e8f-9c3b-1d2e3f4a5b6c';
  const lifted = {
    warningId: id,
    level: 'red',
    reason: 'lifted',
    liftedBy: '320700-SAMR',
    notifiedDepartments: ['320700-SAMR'],
    liftedAt: '2026-06-10T00:00:00.000Z',
  } as RiskWarningLiftedV1;

  it('accepts risk-warning:<id> as the subject of its types', () => {
    const envelope = createEnvelope(RiskWarningLiftedV1, {
      source: '/services/supervision',
      subject: riskWarningSubject(id),
      data: lifted,
      correlationId: 'c',
    });
    expect(parseEnvelope(JSON.stringify(envelope)).subject).toBe(`risk-warning:${id}`);
  });

  it('refuses a USCC as their subject, and a risk-warning subject on an entity event', () => {
    const byEntity = createEnvelope(RiskWarningLiftedV1, {
      source: '/services/supervision',
      subject: COMPANY,
      data: lifted,
      correlationId: 'c',
    });
    expect(() => parseEnvelope(JSON.stringify(byEntity))).toThrow(/subject: must be risk-warning:<warning id>/);
    const entityEvent = { ...byEntity, type: 'backbone.supervision.task-claimed.v1', subject: riskWarningSubject(id) };
    expect(() => parseEnvelope(JSON.stringify(entityEvent))).toThrow(/subject: must be a valid USCC/);
  });
});
