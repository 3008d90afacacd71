import type { RiskWarningScopeV1 } from '@backbone/contracts';
import { RiskWarning } from './risk-warning.entity';
import { assertScopeUsable, claimDaysUnderWarning, entryTouchesScope } from './risk-warning-rules';

const CAPS = { blue: 2, yellow: 1, orange: 1, red: 1 };
const scope = (overrides: Partial<RiskWarningScopeV1> = {}): RiskWarningScopeV1 => ({
  regionPrefixes: [],
  industries: [],
  licenceItemCodes: [],
  usccs: [],
  ...overrides,
});

describe('a risk warning tightens the claim deadline of new tasks in its scope, per level (§8)', () => {
  it.each([
    ['blue caps a five-day item at two', 5, 'blue', 2],
    ['blue leaves a two-day item as it is', 2, 'blue', 2],
    ['yellow: one working day', 3, 'yellow', 1],
    ['red: one working day', 2, 'red', 1],
    ['never fewer days than the catalog gives', 1, 'blue', 1],
  ] as const)('%s', (_rule, normal, level, days) => {
    expect(claimDaysUnderWarning(normal, level, CAPS)).toBe(days);
  });
  it('never below one working day, even with a zero in the table', () => {
    expect(claimDaysUnderWarning(3, 'red', { ...CAPS, red: 0 })).toBe(1);
  });
});

describe('the departments that supervise a scope are those of the catalog entries touching it (§8)', () => {
  const food = { approvalItemCodes: ['FOOD-BUSINESS-LICENCE'], regionCode: '320700' };
  const health = { approvalItemCodes: ['PUBLIC-PLACE-HEALTH-LICENCE'], regionCode: '320000' };
  it.each([
    ['an item of the entry, no region', food, scope({ licenceItemCodes: ['FOOD-BUSINESS-LICENCE'] }), true],
    ['another item', food, scope({ licenceItemCodes: ['DRUG-RETAIL-LICENCE'] }), false],
    ['a district under the city entry', food, scope({ regionPrefixes: ['320703'] }), true],
    ['the province over the city entry', food, scope({ regionPrefixes: ['32'] }), true],
    ['another city', food, scope({ regionPrefixes: ['3201'] }), false],
    ['a province entry covers a district of it', health, scope({ regionPrefixes: ['320703'] }), true],
    ['listed entities only: matched through their tasks, not the catalog', food, scope({ usccs: ['91320700MA1MXXK01L'] }), false],
  ])('%s', (_rule, entry, given, touches) => {
    expect(entryTouchesScope(entry, given)).toBe(touches);
  });
});

describe('a scope must say what it covers', () => {
  it.each([
    ['an empty scope', scope(), 'RISK_WARNING_SCOPE_EMPTY'],
    ['an industry alone', scope({ industries: ['餐饮'] }), 'RISK_WARNING_SCOPE_EMPTY'],
    [
      'an industry without its licence items',
      scope({ industries: ['餐饮'], regionPrefixes: ['3207'] }),
      'RISK_WARNING_INDUSTRY_WITHOUT_ITEMS',
    ],
  ])('refuses %s', (_rule, given, code) => {
    expect(() => assertScopeUsable(given)).toThrow(expect.objectContaining({ code }));
  });
  it('accepts a region, an item or an entity', () => {
    expect(() => assertScopeUsable(scope({ regionPrefixes: ['3207'] }))).not.toThrow();
    expect(() => assertScopeUsable(scope({ industries: ['餐饮'], licenceItemCodes: ['FOOD-BUSINESS-LICENCE'] }))).not.toThrow();
    expect(() => assertScopeUsable(scope({ usccs: ['91320700MA1MXXK01L'] }))).not.toThrow();
  });
});

describe('a risk warning is raised once and ends once', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const raise = (overrides: Partial<Parameters<typeof RiskWarning.raise>[0]> = {}) =>
    RiskWarning.raise(
      {
        id: '6b8f0c1e-2a4d-4e8f-9c3b-1d2e3f4a5b6c',
        reference: 'YJ-1',
        level: 'orange',
        title: '夏季餐饮食品安全风险预警',
        raisedBy: '320700-SAMR',
        startsAt: now,
        endsAt: new Date('2026-07-01T00:00:00Z'),
        scope: scope({ regionPrefixes: ['3207'] }),
        concerns: ['凉菜'],
        measures: ['加密抽查'],
        notifiedDepartments: ['320700-SAMR'],
        correlationId: 'c',
        ...overrides,
      },
      now,
    );

  it('raised: RiskWarningRaisedV1', () => {
    expect(
      raise()
        .pullEvents()
        .map((event) => event.type.type),
    ).toEqual(['backbone.supervision.risk-warning-raised.v1']);
  });

  it('refuses an empty or past period', () => {
    expect(() => raise({ endsAt: now })).toThrow(expect.objectContaining({ code: 'RISK_WARNING_PERIOD' }));
    expect(() => raise({ startsAt: new Date('2026-01-01T00:00:00Z'), endsAt: new Date('2026-05-01T00:00:00Z') })).toThrow(
      expect.objectContaining({ code: 'RISK_WARNING_PERIOD' }),
    );
  });

  it('is lifted by its department or an operator only, and once', () => {
    const warning = raise();
    warning.pullEvents();
    expect(() => warning.assertMayLift('320700-HEALTH', false)).toThrow(expect.objectContaining({ code: 'NOT_WARNING_DEPARTMENT' }));
    expect(() => warning.assertMayLift('PLATFORM-OPS', true)).not.toThrow();
    warning.end('lifted', '320700-SAMR', new Date('2026-06-10T00:00:00Z'), '风险已消除');
    expect(warning.pullEvents()).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ reason: 'lifted', liftedBy: '320700-SAMR', note: '风险已消除' }) }),
    ]);
    expect(() => warning.end('expired', 'scheduler', warning.endsAt)).toThrow(expect.objectContaining({ code: 'RISK_WARNING_ENDED' }));
  });
});
