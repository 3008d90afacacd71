import type { LedgerBucket } from '../approval-ledger.client';

export interface LedgerSettlementOptions {
  /**
   * How old a decision must be before a match of the two ends settles it (ms): an approval decided just before
   * a tick may still be committing at the approver when the tick compares its window.
   */
  settleMs: number;
  /** The settled part is checked again a slice at a time, by turns: all of it every `slices` ticks. */
  slices: number;
}

/**
 * What of the period the approval ledger and this end are known to agree on, so that each tick compares
 * only what is new since the last (ADR 0126). After a tick that read the ledger, everything decided before
 * `now - settleMs` matched at both ends, except the windows that still differed: those are compared again at
 * the next tick (they hold what is in transit, held or lost), with everything decided since, and one slice
 * of the settled part by turns, which finds what changed there after it settled (a decision recorded late
 * with an old decision time).
 */
export class LedgerSettlement {
  /** Decisions before this matched at both ends (but for `differing`); undefined until a tick has read the ledger. */
  private settledBefore?: number;
  private differing: Array<[Date, Date]> = [];
  private turn = 0;

  constructor(private readonly options: LedgerSettlementOptions) {}

  /** The windows of [from, to) this tick compares, in time order. */
  windows(from: Date, to: Date): Array<[Date, Date]> {
    const start = from.getTime();
    const end = to.getTime();
    if (this.settledBefore === undefined || this.settledBefore <= start) return [[from, to]];
    const settled = Math.min(this.settledBefore, end);
    const windows: Array<[Date, Date]> = [[new Date(settled), to]];
    const span = (end - start) / this.options.slices;
    const sliceStart = start + (this.turn++ % this.options.slices) * span;
    const sliceEnd = Math.min(sliceStart + span, settled);
    if (sliceEnd > sliceStart) windows.push([new Date(sliceStart), new Date(sliceEnd)]);
    for (const [windowStart, windowEnd] of this.differing)
      if (windowEnd.getTime() > start) windows.push([new Date(Math.max(windowStart.getTime(), start)), windowEnd]);
    return mergeWindows(windows);
  }

  /** After a tick that read the ledger up to `to`: the windows that still differed at its finest level. */
  settle(to: Date, differing: Array<[Date, Date]>): void {
    this.settledBefore = Math.max(this.settledBefore ?? -Infinity, to.getTime() - this.options.settleMs);
    this.differing = differing;
  }
}

/** The bucket sizes the two ends are compared by, in seconds, coarsest first (ADR 0126). */
export const BUCKET_SECONDS = [3600, 60, 5] as const;

/**
 * The level of `BUCKET_SECONDS` a window is first compared at: the finest whose buckets over the window number at
 * most `most`. The decisions since the last tick (about 90 s) are compared by 5-second buckets at once, not by the
 * hour, then the minute, then 5 s: one read of them at each end instead of two or three (ADR 0127). A slice of
 * the period, or the whole of it, still starts by the hour.
 */
export function firstLevel([start, end]: [Date, Date], most = 60): number {
  const span = end.getTime() - start.getTime();
  for (let level = BUCKET_SECONDS.length - 1; level > 0; level--) if (span <= most * BUCKET_SECONDS[level] * 1000) return level;
  return 0;
}

/**
 * The windows that still differ at the finest level: each window given is compared first at its own level
 * (`firstLevel`), and what differs at a level is compared again at the next, finer one, merged with the windows
 * entering there. `compare` gives the parts of a window whose buckets of `seconds` differ at the two ends, or
 * why it could not compare (the ledger unread), which ends the narrowing.
 */
export async function narrowByLevels<Unread extends { status: string }>(
  compared: Array<[Date, Date]>,
  compare: (start: Date, end: Date, seconds: number) => Promise<Array<[Date, Date]> | Unread>,
): Promise<Array<[Date, Date]> | Unread> {
  const entering = compared.map((window) => ({ window, level: firstLevel(window) }));
  let windows: Array<[Date, Date]> = [];
  for (let level = 0; level < BUCKET_SECONDS.length; level++) {
    const differing: Array<[Date, Date]> = [];
    for (const [start, end] of mergeWindows([...windows, ...entering.filter((e) => e.level === level).map((e) => e.window)])) {
      const result = await compare(start, end, BUCKET_SECONDS[level]);
      if (!Array.isArray(result)) return result;
      differing.push(...result);
    }
    windows = mergeWindows(differing);
  }
  return windows;
}

/**
 * The windows of the ledger's buckets that this end's buckets do not match (another count or checksum), clipped
 * to [from, to). A bucket only this end has is no approval this end missed.
 */
export function differingWindows(theirs: LedgerBucket[], ours: LedgerBucket[], seconds: number, from: Date, to: Date): Array<[Date, Date]> {
  const mine = new Map(ours.map((bucket) => [new Date(bucket.start).getTime(), bucket]));
  return theirs
    .filter((bucket) => {
      const own = mine.get(new Date(bucket.start).getTime());
      return !own || own.granted !== bucket.granted || own.checksum !== bucket.checksum;
    })
    .map((bucket): [Date, Date] => {
      const start = new Date(bucket.start).getTime();
      return [new Date(Math.max(start, from.getTime())), new Date(Math.min(start + seconds * 1000, to.getTime()))];
    });
}

/** Windows in time order, those that touch merged into one. */
export function mergeWindows(windows: Array<[Date, Date]>): Array<[Date, Date]> {
  const sorted = [...windows].sort((a, b) => a[0].getTime() - b[0].getTime());
  const merged: Array<[Date, Date]> = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start.getTime() <= last[1].getTime()) last[1] = new Date(Math.max(last[1].getTime(), end.getTime()));
    else merged.push([start, end]);
  }
  return merged;
}
