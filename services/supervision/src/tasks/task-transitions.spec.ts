import { assertTransition, canTransition, TASK_STATUSES, TASK_TRANSITIONS, TaskStatus } from './task-transitions';

describe('the task transition table', () => {
  const allowed: Array<[TaskStatus, TaskStatus]> = [
    ['assigned', 'claimed'],
    ['assigned', 'returned'],
    ['assigned', 'assigned'],
    ['assigned', 'closed'],
    ['returned', 'assigned'],
    ['returned', 'closed'],
    ['claimed', 'assigned'],
    ['claimed', 'closed'],
  ];

  it.each(TASK_STATUSES.flatMap((from) => TASK_STATUSES.map((to) => [from, to] as [TaskStatus, TaskStatus])))('%s → %s', (from, to) => {
    const expected = allowed.some(([a, b]) => a === from && b === to);
    expect(canTransition(from, to)).toBe(expected);
    if (expected) expect(() => assertTransition('t-1', from, to)).not.toThrow();
    else expect(() => assertTransition('t-1', from, to)).toThrow(expect.objectContaining({ code: 'ILLEGAL_TASK_TRANSITION', status: 409 }));
  });

  it('has a row for every state, and closed is final', () => {
    expect(Object.keys(TASK_TRANSITIONS).sort()).toEqual([...TASK_STATUSES].sort());
    expect(TASK_TRANSITIONS.closed).toEqual([]);
  });

  it('names the task and both states in the error', () => {
    expect(() => assertTransition('t-9', 'returned', 'claimed')).toThrow('task t-9 is returned; it cannot become claimed');
  });
});
