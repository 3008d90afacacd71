import { inspectionError } from '../inspection.errors';

export const TASK_STATUSES = ['created', 'pool_frozen', 'drawn', 'completed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * The one transition table of a task, with the cause of each move. Nothing else changes a task's status.
 */
export const TASK_TRANSITIONS: Record<TaskStatus, Partial<Record<TaskStatus, string>>> = {
  created: {
    pool_frozen: 'the pool is frozen: its canonical text, hash and the seed commitment are published',
    cancelled: 'the lead department cancels the task before any draw',
  },
  pool_frozen: {
    drawn: 'the seed is revealed, matches the commitment, and the draw is made',
    cancelled: 'the lead department cancels the task before any draw',
  },
  drawn: {
    pool_frozen: 'a second draw: a recorded reason and a new seed commitment, on the same frozen pool (only before any result)',
    completed: 'every drawn entity has the result of every department of the task',
  },
  completed: {},
  cancelled: {},
};

export function assertTaskTransition(from: TaskStatus, to: TaskStatus): string {
  const cause = TASK_TRANSITIONS[from][to];
  if (!cause) {
    const allowed = Object.keys(TASK_TRANSITIONS[from]);
    throw inspectionError(
      'ILLEGAL_TASK_TRANSITION',
      `a ${from} task cannot become ${to} (a ${from} task may become: ${allowed.length > 0 ? allowed.join(', ') : 'nothing, it is final'})`,
      { from, to },
    );
  }
  return cause;
}
