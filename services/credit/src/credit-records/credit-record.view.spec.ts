import { DEFAULT_CREDIT_RULES } from '../credit-rules/credit-rules.config';
import { CreditEntry, CreditEntryKind } from './credit-entry.entity';
import { fullCreditRecordView, publicCreditRecordView } from './credit-record.view';
import { creditStanding } from './credit-standing.rules';

const uscc = '91320700MA00000001';
const rules = DEFAULT_CREDIT_RULES;

function entry(id: string, kind: CreditEntryKind, occurredAt: string, detail: Record<string, unknown>): CreditEntry {
  return Object.assign(new CreditEntry(), {
    id,
    uscc,
    kind,
    sourceEventId: `event-${id}`,
    correlationId: `corr-${id}`,
    occurredAt: new Date(occurredAt),
    detail: detail as never,
    recordedAt: new Date(occurredAt),
  });
}

const penalty = (decisionNumber: string, reason = '张三无证经营') => ({
  caseId: 'c',
  decisionNumber,
  department: '320700-SAMR',
  penalties: [{ kind: 'fine', amount: 5000 }],
  licenceAction: { action: 'suspend', until: '2026-06-30', reason },
});

describe('publicCreditRecordView', () => {
  const asOf = new Date('2026-04-01T00:00:00Z');

  it('is an empty record for an entity nothing was recorded about', () => {
    expect(publicCreditRecordView(uscc, creditStanding([], asOf, rules), rules)).toEqual({
      uscc,
      asOf,
      lists: [],
      measures: [],
      listEntries: [],
      redList: { onRedList: false, incentives: [] },
      penalties: [],
      inspections: [],
      commitments: [],
      licenceStatusChanges: [],
      entries: 0,
    });
  });

  it('splits penalties from inspections, each in the order they occurred, ties by recording order', () => {
    const standing = creditStanding(
      [
        entry('10', 'penalty', '2026-03-05T10:00:00Z', penalty('B')),
        entry('2', 'inspection', '2026-03-01T09:00:00Z', {
          inspectionId: 'i-1',
          department: 'D',
          result: 'non_compliant',
          violations: [{ code: 'X', description: '李四拒绝检查' }],
        }),
        entry('9', 'penalty', '2026-03-05T10:00:00Z', penalty('A')),
        entry('3', 'penalty', '2026-02-01T00:00:00Z', penalty('OLD')),
      ],
      asOf,
      rules,
    );
    const view = publicCreditRecordView(uscc, standing, rules);
    expect(view.entries).toBe(4);
    expect(view.penalties.map((p) => p.decisionNumber)).toEqual(['OLD', 'A', 'B']);
    expect(view.inspections).toEqual([
      { entryId: '2', occurredAt: new Date('2026-03-01T09:00:00Z'), department: 'D', result: 'non_compliant', violations: [{ code: 'X' }] },
    ]);
  });

  it('keeps free text, correlation and event ids out of the public record', () => {
    const standing = creditStanding(
      [
        entry('1', 'penalty', '2026-03-05T10:00:00Z', penalty('A')),
        entry('2', 'commitment', '2026-03-06T10:00:00Z', {
          verificationId: 'v',
          approvalId: 'a',
          itemCode: 'I',
          department: 'D',
          outcome: 'breached',
          findings: '法定代表人王五虚假承诺',
        }),
      ],
      asOf,
      rules,
    );
    const text = JSON.stringify(publicCreditRecordView(uscc, standing, rules));
    for (const hidden of ['corr-1', 'event-1', '张三', '王五', 'tier']) expect(text).not.toContain(hidden);
  });

  it('leaves out facts past their publication period, repaired or invalidated', () => {
    const entries = [
      entry('1', 'penalty', '2020-01-01T00:00:00Z', penalty('ANCIENT')),
      entry('2', 'penalty', '2026-01-01T00:00:00Z', penalty('REPAIRED')),
      entry('3', 'penalty', '2026-01-02T00:00:00Z', penalty('WRONG')),
      entry('4', 'penalty', '2026-01-03T00:00:00Z', penalty('SHOWN')),
      entry('5', 'repair', '2026-03-01T00:00:00Z', { repairId: 'r', targetEntryId: '2', coveredEntryIds: ['2'], decidedBy: 'C' }),
      entry('6', 'correction', '2026-03-02T00:00:00Z', { objectionId: 'o', invalidatedEntryId: '3', answer: 'ok' }),
    ];
    expect(publicCreditRecordView(uscc, creditStanding(entries, asOf, rules), rules).penalties.map((p) => p.decisionNumber)).toEqual([
      'SHOWN',
    ]);
    // Before the repair and the correction, both were published.
    const before = creditStanding(entries, new Date('2026-02-01T00:00:00Z'), rules);
    expect(publicCreditRecordView(uscc, before, rules).penalties.map((p) => p.decisionNumber)).toEqual(['REPAIRED', 'WRONG', 'SHOWN']);
  });
});

describe('fullCreditRecordView', () => {
  it('keeps an invalidated entry beside its correction, with its validity', () => {
    const entries = [
      entry('1', 'penalty', '2026-01-01T00:00:00Z', penalty('A')),
      entry('2', 'correction', '2026-03-02T00:00:00Z', { objectionId: 'o', invalidatedEntryId: '1', answer: 'ok' }),
    ];
    const view = fullCreditRecordView(uscc, creditStanding(entries, new Date('2026-04-01T00:00:00Z'), rules), [], []);
    expect(view.penalties).toHaveLength(1);
    expect(view.penalties[0]).toMatchObject({
      id: '1',
      validTo: new Date('2026-03-02T00:00:00Z'),
      endedBy: { entryId: '2', kind: 'correction' },
      points: 0,
    });
    expect(view.entries.map((e) => e.kind)).toEqual(['penalty', 'correction']);
    expect(view.tier).toBe('A');
  });
});

describe('the two views agree on shapes', () => {
  it('`lists` are list names in both; the public view details them in `listEntries`, as the full view does', () => {
    const asOf = new Date('2026-04-01T00:00:00Z');
    const standing = creditStanding(
      [
        entry('1', 'penalty', '2026-03-01T00:00:00Z', { ...penalty('R'), penalties: [{ kind: 'licence_revocation' }] }),
        entry('2', 'list_entry', '2026-03-01T00:00:00Z', {
          list: 'serious_dishonesty',
          ruleId: 'revocation-or-ban',
          reason: 'r',
          triggerEntryId: '1',
          measures: [],
        }),
      ],
      asOf,
      rules,
    );
    const published = publicCreditRecordView(uscc, standing, rules);
    const full = fullCreditRecordView(uscc, standing, [], []);
    expect(published.lists).toEqual(['serious_dishonesty']);
    expect(full.lists).toEqual(published.lists);
    expect(published.measures).toEqual(full.measures);
    expect(published.listEntries).toEqual([
      { list: 'serious_dishonesty', since: new Date('2026-03-01T00:00:00Z'), measures: expect.arrayContaining(full.measures) },
    ]);
  });

  it('shows suspensions and revocations publicly, and every licence status change and case closure in the full view', () => {
    const asOf = new Date('2026-04-01T00:00:00Z');
    const standing = creditStanding(
      [
        entry('1', 'licence_status', '2026-03-01T00:00:00Z', {
          approvalId: 'a',
          licenceNumber: 'JY1',
          from: 'active',
          to: 'suspended',
          until: '2026-05-01',
          reason: '王五的店铺停业整顿',
        }),
        entry('2', 'licence_status', '2026-03-02T00:00:00Z', { approvalId: 'b', from: 'active', to: 'expired', reason: 'r' }),
        entry('3', 'case_closure', '2026-03-03T00:00:00Z', { caseId: 'c', department: 'D', outcome: 'no_penalty' }),
      ],
      asOf,
      rules,
    );
    expect(publicCreditRecordView(uscc, standing, rules).licenceStatusChanges).toEqual([
      {
        entryId: '1',
        occurredAt: new Date('2026-03-01T00:00:00Z'),
        licenceNumber: 'JY1',
        from: 'active',
        to: 'suspended',
        until: '2026-05-01',
      },
    ]);
    const full = fullCreditRecordView(uscc, standing, [], []);
    expect(full.licenceStatusChanges.map((e) => e.id)).toEqual(['1', '2']);
    expect(full.caseClosures.map((e) => e.id)).toEqual(['3']);
    expect(full).toMatchObject({ tier: 'A', score: 0 });
  });
});
