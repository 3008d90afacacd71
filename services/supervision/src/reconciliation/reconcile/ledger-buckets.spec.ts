import { differingWindows, mergeWindows } from './ledger-windows';

const at = (iso: string) => new Date(iso);
const bucket = (start: string, granted: number, checksum = String(granted * 7)) => ({ start, granted, checksum });

/** The periodic reconciliation reads the ledger only where the two ends' buckets differ. */
describe('comparing the ledger with this end, bucket by bucket', () => {
  const from = at('2026-11-30T00:20:00.000Z');
  const to = at('2026-11-30T03:10:00.000Z');

  it('equal buckets (count and checksum): nothing to read', () => {
    const both = [bucket('2026-11-30T00:00:00.000Z', 3), bucket('2026-11-30T01:00:00.000Z', 5)];
    expect(differingWindows(both, both, 3600, from, to)).toEqual([]);
  });

  it('another count, another checksum at the same count, or a bucket this end lacks: that window, clipped to the period', () => {
    const theirs = [
      bucket('2026-11-30T00:00:00.000Z', 3),
      bucket('2026-11-30T01:00:00.000Z', 5, 'a'),
      bucket('2026-11-30T02:00:00.000Z', 1),
      bucket('2026-11-30T03:00:00.000Z', 2),
    ];
    const ours = [bucket('2026-11-30T00:00:00.000Z', 2), bucket('2026-11-30T01:00:00.000Z', 5, 'b'), bucket('2026-11-30T03:00:00.000Z', 2)];
    expect(differingWindows(theirs, ours, 3600, from, to)).toEqual([
      [from, at('2026-11-30T01:00:00.000Z')],
      [at('2026-11-30T01:00:00.000Z'), at('2026-11-30T02:00:00.000Z')],
      [at('2026-11-30T02:00:00.000Z'), at('2026-11-30T03:00:00.000Z')],
    ]);
  });

  it('a bucket only this end has is no approval this end missed', () => {
    expect(differingWindows([], [bucket('2026-11-30T01:00:00.000Z', 1)], 3600, from, to)).toEqual([]);
  });

  it('windows that touch are read as one', () => {
    const windows: Array<[Date, Date]> = [
      [at('2026-11-30T02:00:00.000Z'), at('2026-11-30T02:01:00.000Z')],
      [at('2026-11-30T01:00:00.000Z'), at('2026-11-30T01:01:00.000Z')],
      [at('2026-11-30T01:01:00.000Z'), at('2026-11-30T01:02:00.000Z')],
    ];
    expect(mergeWindows(windows)).toEqual([
      [at('2026-11-30T01:00:00.000Z'), at('2026-11-30T01:02:00.000Z')],
      [at('2026-11-30T02:00:00.000Z'), at('2026-11-30T02:01:00.000Z')],
    ]);
  });
});
