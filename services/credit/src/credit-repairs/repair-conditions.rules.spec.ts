import { DEFAULT_CREDIT_RULES } from '../credit-rules/credit-rules.config';
import type { CreditEntryKind, CreditFactDetail } from '../credit-records/credit-entry.entity';
import { creditStanding, Fact } from '../credit-records/credit-standing.rules';
import { isAdverse, repairScope, unmetRepairConditions } from './repair-conditions.rules';

const rules = DEFAULT_CREDIT_RULES;
const fact = (id: string, kind: CreditEntryKind, occurredAt: string, detail: object): Fact => ({
  id,
  kind,
  occurredAt: new Date(occurredAt),
  detail: detail as CreditFactDetail,
});
const revocation = { caseId: 'c', decisionNumber: 'N', department: 'D', penalties: [{ kind: 'licence_revocation' }], licenceAction: null };
const facts = [
  fact('1', 'penalty', '2026-01-10T00:00:00Z', revocation),
  fact('2', 'list_entry', '2026-01-10T00:00:00Z', {
    list: 'serious_dishonesty',
    ruleId: 'r',
    reason: 'x',
    triggerEntryId: '1',
    measures: [],
  }),
  fact('3', 'penalty', '2026-01-20T00:00:00Z', { ...revocation, penalties: [{ kind: 'warning' }] }),
];
const complete = { rectificationEvidence: '整改报告 2026-02', commitment: '信用承诺书' };

function scopeOf(entryId: string, asOf: string) {
  const standing = creditStanding(facts, new Date(asOf), rules);
  const target = standing.states.find((state) => state.entry.id === entryId);
  if (!target) throw new Error('no target');
  return repairScope(target, standing);
}

describe('what a repair covers', () => {
  it('a list entry: itself and the fact that triggered it; it exits its list', () => {
    const scope = scopeOf('2', '2027-02-01T00:00:00Z');
    expect(scope.covered.map((s) => s.entry.id).sort()).toEqual(['1', '2']);
    expect(scope.listExits.map((s) => s.entry.id)).toEqual(['2']);
  });

  it('a penalty: itself and the list entries it triggered', () => {
    expect(
      scopeOf('1', '2027-02-01T00:00:00Z')
        .covered.map((s) => s.entry.id)
        .sort(),
    ).toEqual(['1', '2']);
    expect(scopeOf('3', '2027-02-01T00:00:00Z')).toMatchObject({ listExits: [] });
  });
});

describe('repair conditions', () => {
  it('all met: nothing unmet', () => {
    expect(unmetRepairConditions(scopeOf('2', '2027-02-01T00:00:00Z'), complete, new Date('2027-02-01T00:00:00Z'), rules)).toEqual([]);
  });

  it('serious dishonesty: not before 12 months on the list, naming the earliest date', () => {
    const unmet = unmetRepairConditions(scopeOf('2', '2026-06-01T00:00:00Z'), complete, new Date('2026-06-01T00:00:00Z'), rules);
    expect(unmet).toEqual([expect.objectContaining({ condition: 'minimum_publication_period', earliest: '2027-01-10T00:00:00.000Z' })]);
  });

  it('a plain penalty: not before the fact minimum (3 months)', () => {
    expect(unmetRepairConditions(scopeOf('3', '2026-03-01T00:00:00Z'), complete, new Date('2026-03-01T00:00:00Z'), rules)[0]).toMatchObject(
      {
        condition: 'minimum_publication_period',
        earliest: '2026-04-20T00:00:00.000Z',
      },
    );
    expect(unmetRepairConditions(scopeOf('3', '2026-04-21T00:00:00Z'), complete, new Date('2026-04-21T00:00:00Z'), rules)).toEqual([]);
  });

  it('needs rectification evidence and a credit commitment, each named', () => {
    const unmet = unmetRepairConditions(
      scopeOf('3', '2026-05-01T00:00:00Z'),
      { rectificationEvidence: null, commitment: '  ' },
      new Date('2026-05-01T00:00:00Z'),
      rules,
    );
    expect(unmet.map((problem) => problem.condition)).toEqual(['rectification_evidence', 'credit_commitment']);
  });

  it('conditions are data: without the requirements, evidence and commitment are not asked for', () => {
    const lenient = { ...rules, repair: { factMinimumMonths: 0, requireRectificationEvidence: false, requireCommitment: false } };
    expect(
      unmetRepairConditions(
        scopeOf('3', '2026-01-21T00:00:00Z'),
        { rectificationEvidence: null, commitment: null },
        new Date('2026-01-21T00:00:00Z'),
        lenient,
      ),
    ).toEqual([]);
  });
});

describe('what may be repaired', () => {
  it.each([
    ['a penalty', 'penalty', {}, true],
    ['a list entry', 'list_entry', {}, true],
    ['a failed inspection', 'inspection', { result: 'non_compliant' }, true],
    ['a compliant inspection', 'inspection', { result: 'compliant' }, false],
    ['a breached commitment', 'commitment', { outcome: 'breached' }, true],
    ['a fulfilled commitment', 'commitment', { outcome: 'fulfilled' }, false],
    ['a repair', 'repair', {}, false],
    ['a correction', 'correction', {}, false],
  ] as const)('%s: %s', (_, kind, detail, expected) => {
    expect(isAdverse({ kind, detail: detail as CreditFactDetail })).toBe(expected);
  });
});
