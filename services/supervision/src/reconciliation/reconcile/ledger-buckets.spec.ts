import { BUCKET_SECONDS, differingWindows, firstLevel, mergeWindows, narrowByLevels } from './ledger-windows';

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

/** Where a window's comparison starts (ADR 0127): the decisions since the last tick by 5 s at once. */
describe('the level a window is first compared at', () => {
  const window = (seconds: number): [Date, Date] => [new Date(0), new Date(seconds * 1000)];

  it('the last tick’s 90 s by 5-second buckets, a few minutes by the minute, a slice or the period by the hour', () => {
    expect(BUCKET_SECONDS[firstLevel(window(90))]).toBe(5);
    expect(BUCKET_SECONDS[firstLevel(window(5))]).toBe(5);
    expect(BUCKET_SECONDS[firstLevel(window(300))]).toBe(5); // 60 buckets of 5 s
    expect(BUCKET_SECONDS[firstLevel(window(301))]).toBe(60);
    expect(BUCKET_SECONDS[firstLevel(window(3600))]).toBe(60);
    expect(BUCKET_SECONDS[firstLevel(window(3601))]).toBe(3600);
    expect(BUCKET_SECONDS[firstLevel(window(12 * 3600))]).toBe(3600);
    expect(BUCKET_SECONDS[firstLevel(window(30 * 86400))]).toBe(3600);
  });

  it('with fewer buckets allowed, starts coarser', () => {
    expect(BUCKET_SECONDS[firstLevel(window(90), 10)]).toBe(60);
  });
});

/** A tick's comparison, level by level (ADR 0126, 0127), with the two ends' buckets stood in for by `differs`. */
describe('narrowing the windows that differ, level by level', () => {
  const at = (iso: string) => new Date(iso);
  const slice: [Date, Date] = [at('2026-11-01T00:01:00.000Z'), at('2026-11-01T12:01:00.000Z')];
  const recent: [Date, Date] = [at('2026-11-30T23:59:30.000Z'), at('2026-12-01T00:01:00.000Z')];

  /** Records each comparison; a window differs where `differs` says, clipped to it. */
  function comparer(differs: Record<number, Array<[Date, Date]>> = {}) {
    const calls: string[] = [];
    const compare = async (start: Date, end: Date, seconds: number) => {
      calls.push(`${seconds}s ${start.toISOString().slice(11, 19)}–${end.toISOString().slice(11, 19)}`);
      return (differs[seconds] ?? [])
        .filter(([s, e]) => s < end && e > start)
        .map(([s, e]): [Date, Date] => [new Date(Math.max(s.getTime(), start.getTime())), new Date(Math.min(e.getTime(), end.getTime()))]);
    };
    return { calls, compare };
  }

  it('compares the decisions since the last tick once, by 5 s, and the slice by the hour, when all match', async () => {
    const { calls, compare } = comparer();
    await expect(narrowByLevels([slice, recent], compare)).resolves.toEqual([]);
    expect(calls).toEqual(['3600s 00:01:00–12:01:00', '5s 23:59:30–00:01:00']);
  });

  it('narrows an hour of the slice that differs to its minute, then to 5 s, beside the recent window', async () => {
    const stuck: [Date, Date] = [at('2026-11-01T03:07:05.000Z'), at('2026-11-01T03:07:10.000Z')];
    const inTransit: [Date, Date] = [at('2026-12-01T00:00:55.000Z'), at('2026-12-01T00:01:00.000Z')];
    const { calls, compare } = comparer({
      3600: [[at('2026-11-01T03:00:00.000Z'), at('2026-11-01T04:00:00.000Z')]],
      60: [[at('2026-11-01T03:07:00.000Z'), at('2026-11-01T03:08:00.000Z')]],
      5: [stuck, inTransit],
    });
    await expect(narrowByLevels([slice, recent], compare)).resolves.toEqual([stuck, inTransit]);
    expect(calls).toEqual(['3600s 00:01:00–12:01:00', '60s 03:00:00–04:00:00', '5s 03:07:00–03:08:00', '5s 23:59:30–00:01:00']);
  });

  it('stops at the first comparison that could not be made, and says why', async () => {
    const unread = { status: 'unavailable', error: 'approval service down' };
    const calls: number[] = [];
    const result = await narrowByLevels([slice, recent], async (_start, _end, seconds) => {
      calls.push(seconds);
      return unread;
    });
    expect(result).toBe(unread);
    expect(calls).toEqual([3600]);
  });
});
