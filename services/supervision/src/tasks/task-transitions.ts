import { DomainError } from '@backbone/platform';
import { SupervisionError } from '../supervision.errors';

export const TASK_STATUSES = ['assigned', 'claimed', 'returned', 'closed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * The task lifecycle, in one place: state → the states it may move to.
 * - assigned → claimed (by the assigned department, naming its handler), returned (by a department that is
 *   not responsible, with a reason), assigned (re-routed when its approval changes), closed (approval cancelled).
 * - returned → assigned (re-routed through the catalog, or assigned by hand by an operator), closed.
 * - claimed → assigned (the approval changed so that another department must supervise), closed.
 * - closed → nothing.
 * Reminded and escalated are marks on an assigned task, not states: the task still awaits its claim.
 */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  assigned: ['claimed', 'returned', 'assigned', 'closed'],
  returned: ['assigned', 'closed'],
  claimed: ['assigned', 'closed'],
  closed: [],
};

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TASK_TRANSITIONS[from].includes(to);
}

/** Refuses an illegal transition with 409 and a stable code. */
export function assertTransition(taskId: string, from: TaskStatus, to: TaskStatus): void {
  if (!canTransition(from, to)) {
    throw new DomainError(SupervisionError.ILLEGAL_TASK_TRANSITION, `task ${taskId} is ${from}; it cannot become ${to}`, 409, { from, to });
  }
}
