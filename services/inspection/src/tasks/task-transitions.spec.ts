import { DomainError } from '@backbone/platform';
import { assertTaskTransition, TASK_STATUSES, TASK_TRANSITIONS, TaskStatus } from './task-transitions';

/** One row per move of the table; every move not in it is refused with ILLEGAL_TASK_TRANSITION (409). */
describe('task transitions', () => {
  const allowed: [TaskStatus, TaskStatus][] = [
    ['created', 'pool_frozen'],
    ['created', 'cancelled'],
    ['pool_frozen', 'drawn'],
    ['pool_frozen', 'cancelled'],
    ['drawn', 'pool_frozen'],
    ['drawn', 'completed'],
  ];

  it.each(allowed)('%s → %s is allowed, with its cause', (from, to) => {
    expect(assertTaskTransition(from, to)).toBe(TASK_TRANSITIONS[from][to]);
  });

  const refused = TASK_STATUSES.flatMap((from) => TASK_STATUSES.map((to) => [from, to] as [TaskStatus, TaskStatus])).filter(
    ([from, to]) => !allowed.some(([f, t]) => f === from && t === to),
  );
  it.each(refused)('%s → %s is refused', (from, to) => {
    expect(() => assertTaskTransition(from, to)).toThrow(DomainError);
    try {
      assertTaskTransition(from, to);
    } catch (error) {
      expect(error).toMatchObject({ code: 'ILLEGAL_TASK_TRANSITION', status: 409 });
    }
  });
});
