import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, Metrics, onOneCore } from '@backbone/platform';
import { SupervisionError } from '../../supervision.errors';
import { ledgerBucketColumns } from '@backbone/contracts';
import { ApprovalLedgerClient, LedgerBucket, LedgerEntry, LedgerUnread } from '../approval-ledger.client';
import { differingWindows, LedgerSettlement, narrowByLevels } from './ledger-windows';
import { type Queryable, TasklessApprovals } from './taskless-approvals';

/** Why a granted approval has no claimed task, in the order of the path it takes from approval to the department. */
export const GAP_REASONS = [
  'held_at_approval',
  'in_approval_outbox',
  'in_transit',
  'dead_lettered_at_supervision',
  'unrouted',
  'no_task',
  'returned',
  'assigned_unclaimed',
] as const;
export type GapReason = (typeof GAP_REASONS)[number];

/** Where on the path each reason leaves the approval. */
export const STOPPED_AT: Record<GapReason, string> = {
  held_at_approval: 'approval',
  in_approval_outbox: 'approval_outbox',
  in_transit: 'kafka',
  dead_lettered_at_supervision: 'supervision_dead_letters',
  unrouted: 'supervision_catalog',
  no_task: 'supervision',
  returned: 'supervising_department',
  assigned_unclaimed: 'supervising_department',
};

export interface Gap {
  approvalId: string;
  uscc: string;
  itemCode: string;
  regionCode: string;
  approverDepartment: string;
  decidedAt: Date | string;
  reason: GapReason;
  stoppedAt: string;
  detail: string | null;
  taskId: string | null;
  assignedDepartment: string | null;
  claimDeadline: Date | null;
}

interface SeenRow {
  approval_id: string;
  uscc: string;
  item_code: string;
  region_code: string;
  approver_department: string;
  decided_at: Date;
  task_id: string | null;
  status: string | null;
  assigned_department: string | null;
  escalated_at: Date | null;
  claim_deadline: Date | null;
  unrouted_reason: string | null;
}

interface DeadLetterRow {
  id: string;
  event_id: string;
  kind: string;
  reason: string;
  created_at: Date;
}

interface VerificationRow {
  id: string;
  approval_id: string;
  uscc: string;
  item_code: string;
  task_id: string | null;
  assigned_department: string | null;
  due_at: Date;
  escalated_at: Date | null;
}

/** Approvals in the vacuum now, counted every minute from `unrouted_approval_open`, which holds only them (ADR 0086). */
export const COUNT_UNROUTED = `SELECT count(*)::int AS n FROM unrouted_approval WHERE routed_at IS NULL`;

/**
 * This end's gaps of a period ($1, $2) that can be counted from the open ones alone, by reason, with the rules of
 * `reconcile`: the approvals waiting in the vacuum without a task (`unrouted_approval_open`), and the tasks
 * still open (returned, or assigned and not escalated: their partial indexes), those whose approval falls in
 * the period. The approvals without a task and outside the vacuum (`no_task`) are counted apart, from what can
 * have changed since the last tick (`TasklessApprovals`, ADR 0127): an anti-join of every approval of 30 days
 * with the tasks each minute was most of a third of a second of a core at 290,000 approvals.
 */
export const OPEN_GAP_COUNTS_HERE = `SELECT reason, count(*)::int AS n FROM (
         SELECT 'unrouted' AS reason
           FROM unrouted_approval u
           JOIN approval_seen s ON s.approval_id = u.approval_id
          WHERE u.routed_at IS NULL AND s.outcome = 'granted' AND s.decided_at >= $1 AND s.decided_at < $2
            AND NOT EXISTS (SELECT 1 FROM supervision_task t WHERE t.approval_id = u.approval_id)
         UNION ALL
         SELECT CASE WHEN t.status = 'returned' THEN 'returned' ELSE 'assigned_unclaimed' END
           FROM supervision_task t
           JOIN approval_seen s ON s.approval_id = t.approval_id
          WHERE (t.status = 'returned' OR (t.status = 'assigned' AND t.escalated_at IS NULL))
            AND s.outcome = 'granted' AND s.decided_at >= $1 AND s.decided_at < $2
       ) AS gap
       GROUP BY 1`;

/**
 * This end's granted approvals of a period ($1, $2) per bucket of $3 seconds, computed as the ledger computes
 * its own. Every minute over 30 days, by hour: read from `approval_seen_decided_covering` alone (ADR 0086).
 */
export const BUCKETS_HERE = `SELECT ${ledgerBucketColumns('approval_id', 'decided_at')}
         FROM approval_seen WHERE outcome = 'granted' AND decided_at >= $1 AND decided_at < $2
        GROUP BY 1 ORDER BY 1`;

/**
 * Reconciliation from both ends (ADR 0075): the granted approvals of a period as the approval service's
 * ledger lists them, and as this service saw them, against the tasks claimed for them. Every approval
 * without a claimed task and without an open escalation is a gap, with where it stopped: held at the
 * approver, still in the approval service's outbox, published and not yet applied here (in transit),
 * dead-lettered here, in the vacuum, no task, returned, or assigned and not yet claimed. A task closed
 * because its approval was cancelled is accounted for. Overdue commitment verifications of the period's
 * approvals are listed beside. Under normal operation both lists are empty.
 */
@Injectable()
export class ReconcileService {
  private readonly gauge;
  private readonly vacuumGauge;
  private readonly ledgerGauge;
  private readonly verificationsGauge;
  /** What the ledger and this end agreed on at earlier ticks: a tick compares what is new (ADR 0126). */
  private readonly settlement = new LedgerSettlement({ settleMs: 30_000, slices: 60 });
  /** The approvals without a task, remembered between ticks: a tick reads what can have changed (ADR 0127). */
  private readonly taskless = new TasklessApprovals({ settleMs: 30_000, slices: 60, remember: 10_000 });

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: ApprovalLedgerClient,
    metrics: Metrics,
  ) {
    this.vacuumGauge = metrics.gauge('supervision_unrouted_approvals_open', 'Approvals in the supervision vacuum now (not yet routed)');
    this.gauge = metrics.gauge(
      'supervision_reconciliation_gaps',
      'Granted approvals of the last 30 days without a claimed task or open escalation, by where they stopped',
      ['reason'],
    );
    this.ledgerGauge = metrics.gauge(
      'supervision_reconciliation_approval_ledger_read',
      "1 when the last reconciliation read the approval service's ledger (both ends), 0 when it saw this end only",
    );
    this.verificationsGauge = metrics.gauge(
      'supervision_commitment_verifications_overdue',
      'Commitment verifications of the last 30 days not recorded by their due date',
    );
  }

  async reconcile(from: Date, to: Date, now: Date = new Date()) {
    if (to.getTime() <= from.getTime()) throw new DomainError(SupervisionError.EMPTY_PERIOD, 'to: must be after from', 422);
    const [ledger, seen] = await Promise.all([this.ledger.read(from, to), this.seenRows(from, to)]);
    const gaps: Gap[] = [];
    let claimed = 0;
    let escalated = 0;
    let closed = 0;
    for (const row of seen) {
      if (row.status === 'claimed') claimed += 1;
      else if (row.status === 'closed') closed += 1;
      else if (row.status === 'assigned' && row.escalated_at) escalated += 1;
      else {
        const reason: GapReason = !row.task_id
          ? row.unrouted_reason
            ? 'unrouted'
            : 'no_task'
          : row.status === 'returned'
            ? 'returned'
            : 'assigned_unclaimed';
        gaps.push({
          approvalId: row.approval_id,
          uscc: row.uscc,
          itemCode: row.item_code,
          regionCode: row.region_code,
          approverDepartment: row.approver_department,
          decidedAt: row.decided_at,
          reason,
          stoppedAt: STOPPED_AT[reason],
          detail: row.unrouted_reason ?? null,
          taskId: row.task_id,
          assignedDepartment: row.assigned_department,
          claimDeadline: row.claim_deadline,
        });
      }
    }
    const unseen = ledger.status === 'read' ? await this.neverSeenHere(ledger.entries) : [];
    gaps.push(...unseen);
    gaps.sort((a, b) => new Date(a.decidedAt).getTime() - new Date(b.decidedAt).getTime() || a.approvalId.localeCompare(b.approvalId));
    const overdueVerifications = await this.overdueVerifications(from, to, now);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      approvalSide:
        ledger.status === 'read'
          ? { status: 'read' as const, approvalsGranted: ledger.entries.length }
          : { status: ledger.status, error: ledger.error },
      approvalsGranted: seen.length + unseen.length,
      tasksClaimed: claimed,
      openEscalations: escalated,
      closedTasks: closed,
      gaps,
      overdueVerifications,
    };
  }

  /**
   * The periodic job: the gaps of the last 30 days by where they stopped, and the overdue verifications, as
   * gauges — counted in SQL, never the period's approvals loaded here (issue #12). This end's gaps are one
   * aggregate. For the other end, the ledger and this end are compared per hour (count and checksum of the
   * approvals' ids), the hours that differ per minute, those per 5 s, and only the windows that still differ are
   * read entry by entry: under normal operation, the last few seconds (what is in transit). Only what has not
   * settled is compared: the decisions since the last tick, the windows that differed then, and a sixtieth of
   * the rest by turns (ADR 0126); a tick over the whole period took a core for most of a second with 300,000
   * approvals, and held up POSTs at both ends while it ran.
   */
  async measure(now: Date = new Date()): Promise<void> {
    await onOneCore(this.dataSource, (db) => this.measureWith(db, now));
  }

  private async measureWith(db: Queryable, now: Date): Promise<void> {
    const from = new Date(now.getTime() - 30 * 86_400_000);
    const counts = new Map<GapReason, number>(GAP_REASONS.map((reason) => [reason, 0]));
    for (const { reason, n } of await db.query(OPEN_GAP_COUNTS_HERE, [from, now])) counts.set(reason, n);
    counts.set('no_task', await this.taskless.count(db, from, now));
    const unseen = await this.neverSeenHereByBuckets(db, this.settlement.windows(from, now));
    if (unseen.status === 'read') {
      this.settlement.settle(now, unseen.differing);
      for (const gap of unseen.gaps) counts.set(gap.reason, (counts.get(gap.reason) ?? 0) + 1);
    }
    for (const reason of GAP_REASONS) this.gauge.set({ reason }, counts.get(reason) ?? 0);
    this.ledgerGauge.set(unseen.status === 'read' ? 1 : 0);
    const [overdue] = await db.query(
      `SELECT count(*)::int AS n FROM commitment_verification v JOIN approval_seen s ON s.approval_id = v.approval_id
        WHERE v.verified_at IS NULL AND v.due_at < $3 AND s.decided_at >= $1 AND s.decided_at < $2`,
      [from, now, now],
    );
    this.verificationsGauge.set(overdue.n);
    const [open] = await db.query(COUNT_UNROUTED);
    this.vacuumGauge.set(open.n);
  }

  /**
   * The approvals the ledger lists in the windows given and this end never saw, read only where the two ends'
   * buckets differ; with the 5-second windows that still differed (none when every bucket matched).
   */
  private async neverSeenHereByBuckets(
    db: Queryable,
    compared: Array<[Date, Date]>,
  ): Promise<{ status: 'read'; gaps: Gap[]; differing: Array<[Date, Date]> } | LedgerUnread> {
    // Each window enters at its own level (a short one by 5-second buckets at once: ADR 0127).
    const windows = await narrowByLevels(compared, async (start, end, seconds) => {
      const [theirs, ours] = await Promise.all([this.ledger.counts(start, end, seconds), this.bucketsHere(db, start, end, seconds)]);
      return theirs.status === 'read' ? differingWindows(theirs.buckets, ours, seconds, start, end) : theirs;
    });
    if (!Array.isArray(windows)) return windows;
    if (windows.length === 0) return { status: 'read', gaps: [], differing: [] };
    const gaps: Gap[] = [];
    for (const [start, end] of windows) {
      const read = await this.ledger.read(start, end);
      if (read.status !== 'read') return read;
      gaps.push(...(await this.neverSeenHere(read.entries, db)));
    }
    return { status: 'read', gaps, differing: windows };
  }

  /** This end's granted approvals per bucket, computed as the ledger computes its own. */
  private async bucketsHere(db: Queryable, from: Date, to: Date, seconds: number): Promise<LedgerBucket[]> {
    const rows: Array<{ start: Date; granted: number; checksum: string }> = await db.query(BUCKETS_HERE, [from, to, seconds]);
    return rows.map((row) => ({ start: row.start.toISOString(), granted: row.granted, checksum: row.checksum }));
  }

  /** Granted approvals of the period this service saw, with their task and vacuum state. */
  private seenRows(from: Date, to: Date): Promise<SeenRow[]> {
    return this.dataSource.query(
      `SELECT s.approval_id, s.uscc, s.item_code, s.region_code, s.approver_department, s.decided_at,
              t.id AS task_id, t.status, t.assigned_department, t.escalated_at, t.claim_deadline,
              CASE WHEN u.approval_id IS NOT NULL AND u.routed_at IS NULL THEN u.reason END AS unrouted_reason
         FROM approval_seen s
         LEFT JOIN supervision_task t ON t.approval_id = s.approval_id
         LEFT JOIN unrouted_approval u ON u.approval_id = s.approval_id
        WHERE s.outcome = 'granted' AND s.decided_at >= $1 AND s.decided_at < $2
        ORDER BY s.decided_at, s.approval_id`,
      [from, to],
    );
  }

  /** The approvals the approval side granted that never arrived here, each with where it stopped. */
  private async neverSeenHere(entries: LedgerEntry[], db: Queryable = this.dataSource): Promise<Gap[]> {
    if (entries.length === 0) return [];
    const rows: Array<{ id: string }> = await db.query(
      `SELECT id::text FROM unnest($1::uuid[]) AS id WHERE NOT EXISTS (SELECT 1 FROM approval_seen s WHERE s.approval_id = id)`,
      [entries.map((entry) => entry.approvalId)],
    );
    if (rows.length === 0) return [];
    const missing = new Set(rows.map((row) => row.id));
    const unseen = entries.filter((entry) => missing.has(entry.approvalId));
    const deadLetters: DeadLetterRow[] = await db.query(
      `SELECT id, event_id, kind, reason, created_at FROM dead_letter WHERE status = 'open' AND event_id = ANY($1::text[]) ORDER BY id`,
      [unseen.flatMap((entry) => entry.publication.decidedEventIds)],
    );
    const deadLetterOf = new Map(deadLetters.map((row) => [row.event_id, row]));
    return unseen.map((entry) => {
      const deadLetter = entry.publication.decidedEventIds.map((id) => deadLetterOf.get(id)).find(Boolean);
      const { reason, detail } = whereItStopped(entry, deadLetter);
      return {
        approvalId: entry.approvalId,
        uscc: entry.uscc,
        itemCode: entry.itemCode,
        regionCode: entry.regionCode,
        approverDepartment: entry.approverDepartment,
        decidedAt: entry.decidedAt,
        reason,
        stoppedAt: STOPPED_AT[reason],
        detail,
        taskId: null,
        assignedDepartment: null,
        claimDeadline: null,
      };
    });
  }

  private async overdueVerifications(from: Date, to: Date, now: Date) {
    const rows: VerificationRow[] = await this.dataSource.query(
      `SELECT v.id, v.approval_id, v.uscc, v.item_code, v.task_id, t.assigned_department, v.due_at, v.escalated_at
         FROM commitment_verification v
         JOIN approval_seen s ON s.approval_id = v.approval_id
         LEFT JOIN supervision_task t ON t.id = v.task_id
        WHERE v.verified_at IS NULL AND v.due_at < $3 AND s.decided_at >= $1 AND s.decided_at < $2
        ORDER BY v.due_at, v.id`,
      [from, to, now],
    );
    return rows.map((row) => ({
      verificationId: row.id,
      approvalId: row.approval_id,
      uscc: row.uscc,
      itemCode: row.item_code,
      taskId: row.task_id,
      department: row.assigned_department,
      dueAt: row.due_at,
      escalatedAt: row.escalated_at,
    }));
  }
}

/** For an approval the approval side granted and this side never applied: where on the path it is. */
export function whereItStopped(
  entry: Pick<LedgerEntry, 'publication'>,
  deadLetter?: Pick<DeadLetterRow, 'id' | 'kind' | 'reason' | 'created_at'>,
): { reason: GapReason; detail: string } {
  const publication = entry.publication;
  if (publication.status === 'held')
    return { reason: 'held_at_approval', detail: `held at the approver: ${publication.heldReason ?? ''}`.trim() };
  if (publication.status === 'pending')
    return {
      reason: 'in_approval_outbox',
      detail: `in the approval service's outbox since ${publication.queuedAt}, not yet acknowledged by Kafka`,
    };
  if (deadLetter)
    return {
      reason: 'dead_lettered_at_supervision',
      detail: `dead letter ${deadLetter.id} (${deadLetter.kind}) since ${new Date(deadLetter.created_at).toISOString()}: ${deadLetter.reason}`,
    };
  return {
    reason: 'in_transit',
    detail: `published by the approval service${publication.sentAt ? ` at ${publication.sentAt}` : ''}, not yet applied here`,
  };
}
