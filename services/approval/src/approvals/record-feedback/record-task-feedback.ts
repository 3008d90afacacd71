import type { EntityManager } from 'typeorm';
import { isoString, TaskAssignedV1, TaskClaimedV1 } from '@backbone/contracts';
import { NotFoundError } from '@backbone/platform';
import type { SupervisionStatus } from '../approval.entity';
import { nextSupervisionStatus } from '../supervision-status';

/** A task-assigned or task-claimed event to apply. */
export type TaskFeedback = { kind: 'task_assigned'; event: TaskAssignedV1 } | { kind: 'task_claimed'; event: TaskClaimedV1 };

/** The columns of an approval that task feedback moves. */
export interface TaskFeedbackColumns {
  supervisionStatus: SupervisionStatus;
  supervisingDepartment: string | null;
  taskId: string | null;
  claimDeadline: Date | null;
  claimedAt: Date | null;
}

/**
 * One assignment or claim applied to an approval's columns: the supervision status through its table
 * (supervision-status.ts), the department and the task, the deadline (assigned) or the claim time (claimed).
 * Every column is written out, the unchanged one too: a literal that spreads `columns` and then sets
 * four of them takes V8's slow path for each (ADR 0103).
 */
export function applyTaskFeedback(columns: TaskFeedbackColumns, feedback: TaskFeedback): TaskFeedbackColumns {
  if (feedback.kind === 'task_assigned') {
    const { event } = feedback;
    return {
      supervisionStatus: nextSupervisionStatus(columns.supervisionStatus, 'assigned'),
      supervisingDepartment: event.assignedDepartment,
      taskId: event.taskId,
      claimDeadline: new Date(event.claimDeadline),
      claimedAt: columns.claimedAt,
    };
  }
  const { event } = feedback;
  return {
    supervisionStatus: nextSupervisionStatus(columns.supervisionStatus, 'claimed'),
    supervisingDepartment: event.department,
    taskId: event.taskId,
    claimDeadline: columns.claimDeadline,
    claimedAt: new Date(event.claimedAt),
  };
}

interface LockedRow {
  id: string;
  supervision_status: SupervisionStatus;
  supervising_department: string | null;
  task_id: string | null;
  claim_deadline: Date | null;
  claimed_at: Date | null;
}

/**
 * Task assignments and claims coming back to their approvals (双反馈), many at once, in two statements
 * whatever their number (ADR 0027): the approvals locked (in id order, so that concurrent batches never
 * deadlock), every event applied in order in memory (several may be about one approval: assigned, then
 * claimed), one UPDATE … FROM unnest of the columns that moved. The same effects as applying them one by
 * one; an unknown approval fails the whole call (APPROVAL_NOT_FOUND). The events themselves are the
 * approver's record of them: the inbox keeps each in the trail (`loop_event`, its inbox record) in the
 * same transaction, and the approval's feedback list reads these two kinds from there (ADR 0031); no
 * `approval_feedback` row repeats them.
 */
export async function recordTaskFeedback(manager: EntityManager, feedback: TaskFeedback[]): Promise<void> {
  if (feedback.length === 0) return;
  const ids = [...new Set(feedback.map(approvalIdOf))].sort();
  const rows: LockedRow[] = await manager.query(
    `SELECT id, supervision_status, supervising_department, task_id, claim_deadline, claimed_at
     FROM approval WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
  // Loops and module functions, not per-call callbacks: a closure made per call loses its optimized code
  // at each major collection, and this runs for every chunk of the loop's feedback (ADR 0118).
  const columns = new Map<string, TaskFeedbackColumns>();
  for (const row of rows) columns.set(row.id, lockedColumns(row));
  for (const item of feedback) {
    const current = columns.get(item.event.approvalId);
    if (!current) throw new NotFoundError('approval', item.event.approvalId);
    columns.set(item.event.approvalId, applyTaskFeedback(current, item));
  }
  const changed: ChangedColumns = { ids: [], statuses: [], departments: [], taskIds: [], claimDeadlines: [], claimedAts: [] };
  for (const [id, moved] of columns) {
    changed.ids.push(id);
    changed.statuses.push(moved.supervisionStatus);
    changed.departments.push(moved.supervisingDepartment);
    changed.taskIds.push(moved.taskId);
    changed.claimDeadlines.push(moved.claimDeadline ? isoString(moved.claimDeadline) : null);
    changed.claimedAts.push(moved.claimedAt ? isoString(moved.claimedAt) : null);
  }
  await manager.query(
    `UPDATE approval a
     SET supervision_status = u.supervision_status, supervising_department = u.supervising_department, task_id = u.task_id,
         claim_deadline = u.claim_deadline, claimed_at = u.claimed_at, updated_at = now()
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::timestamptz[], $6::timestamptz[])
       AS u(id, supervision_status, supervising_department, task_id, claim_deadline, claimed_at)
     WHERE a.id = u.id`,
    [changed.ids, changed.statuses, changed.departments, changed.taskIds, changed.claimDeadlines, changed.claimedAts],
  );
}

/** The UPDATE's unnest parameters, column by column. */
interface ChangedColumns {
  ids: string[];
  statuses: SupervisionStatus[];
  departments: Array<string | null>;
  taskIds: Array<string | null>;
  claimDeadlines: Array<string | null>;
  claimedAts: Array<string | null>;
}

function lockedColumns(row: LockedRow): TaskFeedbackColumns {
  return {
    supervisionStatus: row.supervision_status,
    supervisingDepartment: row.supervising_department,
    taskId: row.task_id,
    claimDeadline: row.claim_deadline,
    claimedAt: row.claimed_at,
  };
}

function approvalIdOf({ event }: TaskFeedback): string {
  return event.approvalId;
}
