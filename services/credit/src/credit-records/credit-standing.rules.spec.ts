import { DEFAULT_CREDIT_RULES } from '../credit-rules/credit-rules.config';
import type { CreditEntryKind, CreditFactDetail } from './credit-entry.entity';
import { creditStanding, Fact, factWeight, listEntriesFor, nextReviewAt } from './credit-standing.rules';

const rules = DEFAULT_CREDIT_RULES;
const now = new Date('2026-06-01T00:00:00Z');

function fact(id: string, kind: CreditEntryKind, occurredAt: string, detail: object): Fact {
  return { id, kind, occurredAt: new Date(occurredAt), detail: detail as CreditFactDetail, sourceEventId: `event-${id}` };
}
const penalty = (...penalties: Array<{ kind: string; amount?: number }>) => ({
  caseId: 'c',
  decisionNumber: 'N',
  department: 'D',
  penalties,
  licenceAction: null,
});
const inspection = (result: string, codes: string[] = []) => ({
  inspectionId: 'i',
  department: 'D',
  result,
  violations: codes.map((code) => ({ code, description: 'd' })),
});
const commitment = (outcome: string) => ({
  verificationId: 'v',
  approvalId: 'a',
  itemCode: 'ITEM',
  department: 'D',
  outcome,
  findings: 'f',
});
const listEntry = (list: string, triggerEntryId: string) => ({ list, ruleId: 'r', reason: 'because', triggerEntryId, measures: [] });

describe('list entry rules', () => {
  it.each([
    ['licence revocation', penalty({ kind: 'licence_revocation' }), ['revocation-or-ban']],
    ['industry ban', penalty({ kind: 'industry_ban' }), ['revocation-or-ban']],
    ['a fine at the threshold', penalty({ kind: 'fine', amount: 1_000_000 }), ['heavy-fine']],
    ['a confiscation above the threshold', penalty({ kind: 'confiscation', amount: 2_000_000 }), ['heavy-fine']],
  ])('%s → serious dishonesty', (_, detail, ruleIds) => {
    const calls = listEntriesFor('penalty', detail as CreditFactDetail, rules);
    expect(calls.map((call) => [call.list, call.ruleId])).toEqual(ruleIds.map((id) => ['serious_dishonesty', id]));
  });

  it.each([
    ['a fine below the threshold', penalty({ kind: 'fine', amount: 999_999.99 })],
    ['a warning', penalty({ kind: 'warning' })],
    ['a licence suspension', penalty({ kind: 'licence_suspension' })],
  ])('%s → no list', (_, detail) => {
    expect(listEntriesFor('penalty', detail as CreditFactDetail, rules)).toEqual([]);
  });

  it('enters one list once even when two rules call for it', () => {
    const calls = listEntriesFor(
      'penalty',
      penalty({ kind: 'licence_revocation' }, { kind: 'fine', amount: 5_000_000 }) as CreditFactDetail,
      rules,
    );
    expect(calls).toHaveLength(1);
  });

  it('a commitment breach → serious dishonesty; a fulfilment → nothing', () => {
    expect(listEntriesFor('commitment', commitment('breached') as CreditFactDetail, rules)).toEqual([
      expect.objectContaining({ list: 'serious_dishonesty', ruleId: 'commitment-breach' }),
    ]);
    expect(listEntriesFor('commitment', commitment('fulfilled') as CreditFactDetail, rules)).toEqual([]);
  });

  it('an inspection finding the entity unreachable → abnormal operation; other violations → nothing', () => {
    expect(listEntriesFor('inspection', inspection('non_compliant', ['ADDRESS-UNREACHABLE']) as CreditFactDetail, rules)).toEqual([
      expect.objectContaining({ list: 'abnormal_operation', ruleId: 'unreachable-or-unreported' }),
    ]);
    expect(listEntriesFor('inspection', inspection('non_compliant', ['FOOD-HYGIENE-01']) as CreditFactDetail, rules)).toEqual([]);
    expect(listEntriesFor('inspection', inspection('compliant', ['ADDRESS-UNREACHABLE']) as CreditFactDetail, rules)).toEqual([]);
  });
});

describe('fact weights', () => {
  it.each([
    ['warning', 1],
    ['order_to_correct', 1],
    ['fine', 3],
    ['confiscation', 4],
    ['licence_suspension', 6],
    ['business_suspension', 6],
    ['licence_revocation', 10],
    ['industry_ban', 10],
  ])('a %s penalty weighs %i points', (kind, points) => {
    expect(factWeight('penalty', penalty({ kind }) as CreditFactDetail, rules).points).toBe(points);
  });

  it('adds the points of every penalty of one decision; revocation and ban force D', () => {
    expect(
      factWeight('penalty', penalty({ kind: 'fine', amount: 100 }, { kind: 'licence_suspension' }) as CreditFactDetail, rules),
    ).toEqual({ points: 9 });
    expect(factWeight('penalty', penalty({ kind: 'licence_revocation' }) as CreditFactDetail, rules)).toEqual({
      points: 10,
      forcesTier: 'D',
    });
  });

  it('weighs failed inspections and breaches; compliant inspections and fulfilments weigh nothing', () => {
    expect(factWeight('inspection', inspection('non_compliant') as CreditFactDetail, rules).points).toBe(2);
    expect(factWeight('inspection', inspection('compliant') as CreditFactDetail, rules).points).toBe(0);
    expect(factWeight('commitment', commitment('breached') as CreditFactDetail, rules).points).toBe(10);
    expect(factWeight('commitment', commitment('fulfilled') as CreditFactDetail, rules).points).toBe(0);
  });
});

describe('tiers', () => {
  it('no facts → A', () => {
    expect(creditStanding([], now, rules)).toMatchObject({ tier: 'A', score: 0, lists: [], measures: [], reasons: [] });
  });

  it.each([
    ['0 points (a compliant inspection)', [fact('1', 'inspection', '2026-05-01T00:00:00Z', inspection('compliant'))], 'A', 0],
    ['1 point', [fact('1', 'penalty', '2026-05-01T00:00:00Z', penalty({ kind: 'warning' }))], 'B', 1],
    ['4 points', [fact('1', 'penalty', '2026-05-01T00:00:00Z', penalty({ kind: 'confiscation' }))], 'B', 4],
    [
      '5 points',
      [
        fact('1', 'penalty', '2026-05-01T00:00:00Z', penalty({ kind: 'fine' })),
        fact('2', 'inspection', '2026-05-02T00:00:00Z', inspection('non_compliant')),
      ],
      'C',
      5,
    ],
    ['9 points', [fact('1', 'penalty', '2026-05-01T00:00:00Z', penalty({ kind: 'fine' }, { kind: 'licence_suspension' }))], 'C', 9],
    [
      '10 points',
      [fact('1', 'penalty', '2026-05-01T00:00:00Z', penalty({ kind: 'licence_suspension' }, { kind: 'confiscation' }))],
      'D',
      10,
    ],
  ])('%s → %s', (_, facts, tier, score) => {
    expect(creditStanding(facts, now, rules)).toMatchObject({ tier, score });
  });

  it('a serious penalty forces D whatever the points', () => {
    const custom = {
      ...rules,
      penaltyPoints: rules.penaltyPoints.map((rule) => (rule.kind === 'licence_revocation' ? { ...rule, points: 0 } : rule)),
    };
    expect(
      creditStanding([fact('1', 'penalty', '2026-05-01T00:00:00Z', penalty({ kind: 'licence_revocation' }))], now, custom),
    ).toMatchObject({ tier: 'D', score: 0 });
  });

  it('serious dishonesty forces D and carries its measures; abnormal operation makes it at least C', () => {
    const serious = creditStanding(
      [
        fact('1', 'commitment', '2026-05-01T00:00:00Z', commitment('fulfilled')),
        fact('2', 'list_entry', '2026-05-01T00:00:00Z', listEntry('serious_dishonesty', '1')),
      ],
      now,
      rules,
    );
    expect(serious).toMatchObject({
      tier: 'D',
      lists: ['serious_dishonesty'],
      measures: ['higher_inspection_ratio', 'no_commitment_approval', 'no_public_funding', 'stricter_review'],
    });
    const abnormal = creditStanding(
      [
        fact('1', 'inspection', '2026-05-01T00:00:00Z', inspection('compliant')),
        fact('2', 'list_entry', '2026-05-01T00:00:00Z', listEntry('abnormal_operation', '1')),
      ],
      now,
      rules,
    );
    expect(abnormal).toMatchObject({ tier: 'C', lists: ['abnormal_operation'], measures: ['higher_inspection_ratio'] });
  });

  it('names the facts that produced the tier: list entries first, then counted facts', () => {
    const standing = creditStanding(
      [
        fact('1', 'penalty', '2026-05-01T00:00:00Z', penalty({ kind: 'licence_revocation' })),
        fact('2', 'list_entry', '2026-05-01T00:00:00Z', listEntry('serious_dishonesty', '1')),
        fact('3', 'inspection', '2026-05-02T00:00:00Z', inspection('compliant')),
      ],
      now,
      rules,
    );
    expect(standing.reasons.map((reason) => [reason.entryId, reason.kind])).toEqual([
      ['2', 'list_entry'],
      ['1', 'penalty'],
    ]);
    expect(standing.reasons[1].description).toContain('forces D');
  });

  it('facts older than the look-back period stop counting', () => {
    const old = [fact('1', 'penalty', '2022-01-01T00:00:00Z', penalty({ kind: 'licence_suspension' }))];
    expect(creditStanding(old, now, rules)).toMatchObject({ tier: 'A', score: 0 });
    expect(creditStanding(old, new Date('2022-02-01T00:00:00Z'), rules)).toMatchObject({ tier: 'C', score: 6 });
  });
});

describe('as of a date', () => {
  const history = [
    fact('1', 'penalty', '2026-01-10T00:00:00Z', penalty({ kind: 'licence_revocation' })),
    fact('2', 'list_entry', '2026-01-10T00:00:00Z', listEntry('serious_dishonesty', '1')),
    fact('3', 'inspection', '2026-02-01T00:00:00Z', inspection('non_compliant')),
    fact('4', 'correction', '2026-03-01T00:00:00Z', { objectionId: 'o', invalidatedEntryId: '3', answer: 'wrong' }),
    fact('5', 'repair', '2026-04-01T00:00:00Z', { repairId: 'r', targetEntryId: '2', coveredEntryIds: ['2', '1'], decidedBy: 'C' }),
    fact('6', 'list_exit', '2026-04-01T00:00:00Z', { list: 'serious_dishonesty', listEntryId: '2', reason: 'repair', repairId: 'r' }),
  ];

  it.each([
    ['before anything', '2026-01-01T00:00:00Z', 'A', 0, []],
    ['after the revocation', '2026-01-15T00:00:00Z', 'D', 10, ['serious_dishonesty']],
    ['after the failed inspection', '2026-02-15T00:00:00Z', 'D', 12, ['serious_dishonesty']],
    ['after the inspection was corrected', '2026-03-15T00:00:00Z', 'D', 10, ['serious_dishonesty']],
    ['after the repair', '2026-04-15T00:00:00Z', 'A', 0, []],
  ])('%s (%s) the record held tier %s', (_, asOf, tier, score, lists) => {
    expect(creditStanding(history, new Date(asOf), rules)).toMatchObject({ tier, score, lists });
  });

  it('keeps both the corrected entry and its correction, with what ended it', () => {
    const states = creditStanding(history, now, rules).states;
    expect(states.find((state) => state.entry.id === '3')?.invalidatedBy?.id).toBe('4');
    expect(states.find((state) => state.entry.id === '1')?.repairedBy?.id).toBe('5');
    expect(states.find((state) => state.entry.id === '2')?.exitedBy?.id).toBe('6');
    expect(states).toHaveLength(6);
  });
});

describe('as known at a date (transaction time)', () => {
  it('leaves out facts recorded after knownAt, even when they were valid before', () => {
    const late = {
      ...fact('1', 'penalty', '2026-01-10T00:00:00Z', penalty({ kind: 'licence_suspension' })),
      recordedAt: new Date('2026-03-01T00:00:00Z'),
    };
    expect(creditStanding([late], new Date('2026-02-01T00:00:00Z'), rules)).toMatchObject({ tier: 'C' });
    expect(creditStanding([late], new Date('2026-02-01T00:00:00Z'), rules, new Date('2026-02-01T00:00:00Z'))).toMatchObject({ tier: 'A' });
  });

  it('a list entry names the event of the fact that triggered it', () => {
    const standing = creditStanding(
      [
        fact('1', 'penalty', '2026-05-01T00:00:00Z', penalty({ kind: 'licence_revocation' })),
        { ...fact('2', 'list_entry', '2026-05-01T00:00:00Z', listEntry('serious_dishonesty', '1')), sourceEventId: 'list-entry:x' },
      ],
      now,
      rules,
    );
    expect(standing.reasons[0]).toMatchObject({ kind: 'list_entry', sourceEventId: 'event-1' });
  });
});

describe('when time alone changes the standing (the refresh scheduler)', () => {
  it('a counted fact: when it leaves the look-back period; after that the tier is restored', () => {
    const facts = [fact('1', 'penalty', '2023-07-01T00:00:00Z', penalty({ kind: 'fine' }))];
    const standing = creditStanding(facts, now, rules);
    expect(standing).toMatchObject({ tier: 'B', score: 3 });
    const due = nextReviewAt(facts, standing, rules);
    expect(due?.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    const after = creditStanding(facts, due as Date, rules);
    expect(after).toMatchObject({ tier: 'A', score: 0 });
    expect(nextReviewAt(facts, after, rules)).toBeNull();
  });

  it('the earliest of several counted facts', () => {
    const facts = [
      fact('1', 'penalty', '2025-01-01T00:00:00Z', penalty({ kind: 'warning' })),
      fact('2', 'inspection', '2024-02-01T00:00:00Z', inspection('non_compliant')),
    ];
    expect(nextReviewAt(facts, creditStanding(facts, now, rules), rules)?.toISOString()).toBe('2027-02-01T00:00:00.000Z');
  });

  it('a fact dated after now (a correction effective later) is due when it takes effect', () => {
    const facts = [
      fact('1', 'inspection', '2026-05-01T00:00:00Z', inspection('compliant')),
      fact('2', 'correction', '2026-06-15T00:00:00Z', { objectionId: 'o', invalidatedEntryId: '1', answer: 'a' }),
    ];
    expect(nextReviewAt(facts, creditStanding(facts, now, rules), rules)?.toISOString()).toBe('2026-06-15T00:00:00.000Z');
  });

  it('facts that count nothing (case closures, licence status changes) leave nothing pending', () => {
    const facts = [
      fact('2', 'case_closure', '2026-05-02T00:00:00Z', { caseId: 'c', department: 'D', outcome: 'no_penalty' }),
      fact('3', 'licence_status', '2026-05-03T00:00:00Z', { approvalId: 'a', from: 'active', to: 'suspended', reason: 'r' }),
    ];
    const standing = creditStanding(facts, now, rules);
    expect(standing).toMatchObject({ tier: 'A', score: 0, lists: [], redList: { onRedList: false } });
    expect(nextReviewAt(facts, standing, rules)).toBeNull();
  });
});
