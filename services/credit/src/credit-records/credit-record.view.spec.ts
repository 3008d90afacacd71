import { CreditEntry } from './credit-entry.entity';
import { creditRecordView } from './credit-record.view';

function entry(id: string, kind: CreditEntry['kind'], occurredAt: string, detail: Record<string, unknown>): CreditEntry {
  return Object.assign(new CreditEntry(), {
    id,
    uscc: '91320700MA00000001',
    kind,
    sourceEventId: `event-${id}`,
    correlationId: `corr-${id}`,
    occurredAt: new Date(occurredAt),
    detail: detail as never,
    recordedAt: new Date(),
  });
}

describe('creditRecordView', () => {
  it('is an empty record for an entity nothing was recorded about', () => {
    expect(creditRecordView('91320700MA00000001', [])).toEqual({ uscc: '91320700MA00000001', penalties: [], inspections: [], entries: 0 });
  });

  it('splits penalties from inspections, each in the order they occurred, ties by recording order', () => {
    const view = creditRecordView('91320700MA00000001', [
      entry('10', 'penalty', '2026-03-05T10:00:00Z', { decisionNumber: 'B' }),
      entry('2', 'inspection', '2026-03-01T09:00:00Z', { inspectionId: 'i-1', result: 'non_compliant' }),
      entry('9', 'penalty', '2026-03-05T10:00:00Z', { decisionNumber: 'A' }),
      entry('3', 'penalty', '2026-02-01T00:00:00Z', { decisionNumber: 'OLD' }),
    ]);
    expect(view.entries).toBe(4);
    expect(view.penalties.map((penalty) => penalty.decisionNumber)).toEqual(['OLD', 'A', 'B']);
    expect(view.inspections).toEqual([{ occurredAt: new Date('2026-03-01T09:00:00Z'), inspectionId: 'i-1', result: 'non_compliant' }]);
  });

  it('keeps correlation and event ids out of the public record', () => {
    const text = JSON.stringify(creditRecordView('91320700MA00000001', [entry('1', 'penalty', '2026-03-05T10:00:00Z', { decisionNumber: 'A' })]));
    expect(text).not.toContain('corr-1');
    expect(text).not.toContain('event-1');
  });
});
