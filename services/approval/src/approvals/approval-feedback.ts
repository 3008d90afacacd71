import type { EntityManager } from 'typeorm';
import { TaskAssignedV1, TaskClaimedV1 } from '@backbone/contracts';
import type { Approval, ApprovalFeedback } from './approval.entity';

/** One thing that came back to the approver (双反馈), as its view shows it. */
export type FeedbackEntry = Pick<ApprovalFeedback, 'kind' | 'eventId' | 'receivedAt' | 'detail'>;

interface FeedbackRow {
  kind: ApprovalFeedback['kind'];
  event_id: string;
  received_at: Date;
  detail: Record<string, unknown>;
}

/**
 * What came back to an approval, in the order it was applied: its `approval_feedback` rows, and its
 * task assignments and claims from the trail (ADR 0031). Those two kinds are the hot path of the loop
 * and their trail row is their record (the inbox keeps it in the transaction that applies them), so no
 * feedback row repeats them; rows written before that (a feedback row and a trail row of one event)
 * are shown once. The trail is read by the approval's correlation id (its index) and the event's
 * approval id (a correlation id may be shared by the approvals of one registration). Rows of one
 * transaction have one `received_at`; the trail's arrival order breaks the tie.
 */
export async function feedbackOf(manager: EntityManager, approval: Pick<Approval, 'id' | 'correlationId'>): Promise<FeedbackEntry[]> {
  const rows: FeedbackRow[] = await manager.query(
    `SELECT kind, event_id, received_at, detail FROM (
       SELECT f.kind, f.event_id, f.received_at, f.detail, l.arrival, f.id AS seq
         FROM approval_feedback f LEFT JOIN loop_event l ON l.event_id = f.event_id
        WHERE f.approval_id = $1::uuid
       UNION ALL
       SELECT CASE l.type WHEN $3 THEN 'task_assigned' ELSE 'task_claimed' END, l.event_id, l.received_at, l.data, l.arrival, NULL
         FROM loop_event l
        WHERE l.correlation_id = $2 AND l.type IN ($3, $4) AND lower(l.data ->> 'approvalId') = $1::uuid::text
          AND NOT EXISTS (SELECT 1 FROM approval_feedback f WHERE f.approval_id = $1::uuid AND f.event_id = l.event_id)
     ) AS feedback
     ORDER BY received_at, arrival, seq`,
    [approval.id, approval.correlationId, TaskAssignedV1.type, TaskClaimedV1.type],
  );
  return rows.map((row) => ({ kind: row.kind, eventId: row.event_id, receivedAt: row.received_at, detail: row.detail }));
}
