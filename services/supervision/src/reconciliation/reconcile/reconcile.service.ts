import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, Metrics } from '@backbone/platform';
import { SupervisionError } from '../../supervision.errors';

export const GAP_REASONS = ['unrouted', 'no_task', 'returned', 'assigned_unclaimed'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

interface Row {
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

/**
 * Reconciliation: granted approvals seen over a period against the tasks claimed for them. Every approval
 * without a claimed task and without an open escalation is listed with the reason (in the vacuum, no task
 * at all, returned and not re-routed, assigned and not yet claimed). A task closed because its approval
 * was cancelled is accounted for. Under normal operation the list is empty.
 */
@Injectable()
export class ReconcileService {
  private readonly gauge;
  private readonly vacuumGauge;

  constructor(
    private readonly dataSource: DataSource,
    metrics: Metrics,
  ) {
    this.vacuumGauge = metrics.gauge('supervision_unrouted_approvals_open', 'Approvals in the supervision vacuum now (not yet routed)');
    this.gauge = metrics.gauge(
      'supervision_reconciliation_gaps',
      'Granted approvals of the last 30 days without a claimed task or open escalation',
      ['reason'],
    );
  }

  async reconcile(from: Date, to: Date) {
    if (to.getTime() <= from.getTime()) throw new DomainError(SupervisionError.EMPTY_PERIOD, 'to: must be after from', 422);
    const rows: Row[] = await this.dataSource.query(
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
    const gaps: Array<Record<string, unknown>> = [];
    let claimed = 0;
    let escalated = 0;
    let closed = 0;
    for (const row of rows) {
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
          detail: row.unrouted_reason ?? null,
          taskId: row.task_id,
          assignedDepartment: row.assigned_department,
          claimDeadline: row.claim_deadline,
        });
      }
    }
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      approvalsGranted: rows.length,
      tasksClaimed: claimed,
      openEscalations: escalated,
      closedTasks: closed,
      gaps,
    };
  }

  /** The periodic job: the gaps of the last 30 days, by reason, as a gauge. */
  async measure(now: Date = new Date()): Promise<void> {
    const result = await this.reconcile(new Date(now.getTime() - 30 * 86_400_000), now);
    for (const reason of GAP_REASONS) this.gauge.set({ reason }, result.gaps.filter((gap) => gap.reason === reason).length);
    const [open] = await this.dataSource.query(`SELECT count(*)::int AS n FROM unrouted_approval WHERE routed_at IS NULL`);
    this.vacuumGauge.set(open.n);
  }
}
