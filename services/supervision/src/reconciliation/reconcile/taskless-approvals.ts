import type { DataSource } from 'typeorm';
import { LedgerSettlement } from './ledger-windows';

/** What the tick's statements run on: its transaction. */
export type Queryable = Pick<DataSource, 'query'>;

/** An approval seen here (`s`) without a task, and not waiting in the vacuum (counted as `unrouted` apart). */
const TASKLESS = `NOT EXISTS (SELECT 1 FROM supervision_task t WHERE t.approval_id = s.approval_id)
          AND NOT EXISTS (SELECT 1 FROM unrouted_approval u WHERE u.approval_id = s.approval_id AND u.routed_at IS NULL)`;

/**
 * The granted approvals decided in the windows given ($1 starts, $2 ends) that have no task and are not waiting
 * in the vacuum (those are counted as `unrouted` from the vacuum's index): the `no_task` gaps among them. Each
 * window is a range of `approval_seen_decided_covering`; the task is looked up by its unique approval id.
 */
export const TASKLESS_IN = `SELECT s.approval_id::text AS id, s.decided_at
         FROM unnest($1::timestamptz[], $2::timestamptz[]) AS w(start, stop)
         JOIN approval_seen s ON s.decided_at >= w.start AND s.decided_at < w.stop
        WHERE s.outcome = 'granted' AND ${TASKLESS}`;

/** Of the approvals given ($1), those still without a task and not waiting in the vacuum, decided from $2 on. */
export const TASKLESS_STILL = `SELECT s.approval_id::text AS id, s.decided_at
         FROM approval_seen s
        WHERE s.approval_id = ANY($1::uuid[]) AND s.outcome = 'granted' AND s.decided_at >= $2 AND ${TASKLESS}`;

export interface TasklessOptions {
  /** A decision this old has been seen and routed here, or is remembered as taskless (ADR 0127). */
  settleMs: number;
  /** The settled part of the period is looked at again one slice a tick, by turns. */
  slices: number;
  /** More taskless approvals than this are not remembered: every tick then reads the whole period again. */
  remember: number;
}

/**
 * The `no_task` gaps of the reconciliation's period (granted, seen here, no task, not in the vacuum), counted
 * every tick from what can have changed (ADR 0127). A task is never deleted, so an approval that had one at a
 * tick has one at every later tick. The first tick reads the whole period and remembers the taskless ones;
 * each later tick reads the decisions since the last tick (less `settleMs`, for the transactions still
 * committing), one slice of the settled part by turns (all of it again every `slices` ticks: a decision seen
 * late, after its window settled, is found by then), and looks up the remembered ones again. Under normal
 * operation none is taskless: a decided event is seen and routed in one transaction (a task, or the vacuum).
 */
export class TasklessApprovals {
  private settlement: LedgerSettlement;
  private known = new Map<string, number>();

  constructor(private readonly options: TasklessOptions) {
    this.settlement = new LedgerSettlement(options);
  }

  /** The taskless approvals decided in [from, to), as of `db`'s snapshot. */
  async count(db: Queryable, from: Date, to: Date): Promise<number> {
    const windows = this.settlement.windows(from, to);
    const found: Array<{ id: string; decided_at: Date }> = await db.query(TASKLESS_IN, [
      windows.map(([start]) => start),
      windows.map(([, end]) => end),
    ]);
    const looked = (ms: number) => windows.some(([start, end]) => ms >= start.getTime() && ms < end.getTime());
    const earlier: string[] = [];
    for (const [id, decidedAt] of this.known) if (decidedAt >= from.getTime() && !looked(decidedAt)) earlier.push(id);
    const still: Array<{ id: string; decided_at: Date }> = earlier.length > 0 ? await db.query(TASKLESS_STILL, [earlier, from]) : [];
    const known = new Map<string, number>();
    for (const row of [...found, ...still]) known.set(row.id, row.decided_at.getTime());
    if (known.size <= this.options.remember) {
      this.known = known;
      this.settlement.settle(to, []);
    } else {
      this.known = new Map();
      this.settlement = new LedgerSettlement(this.options);
    }
    return known.size;
  }
}
