import type { DataSource, EntityManager } from 'typeorm';
import type { Outbox } from '@backbone/messaging';
import type { Metrics } from '@backbone/platform';
import { assignedTask, InMemoryTaskRepository } from '../../../test/task-fakes';
import { RunDeadlineSweepService } from './run-deadline-sweep.service';

// assignedTask() is due at the end of Wednesday 11 June 2025, China time.
const TUESDAY = new Date('2025-06-10T02:00:00Z');
const WEDNESDAY_MORNING = new Date('2025-06-11T01:00:00Z');
const THURSDAY = new Date('2025-06-12T02:00:00Z');

function sweeper(tasks: InMemoryTaskRepository) {
  // No double notification is waiting for its licence and no commitment verification is overdue: the manager finds none.
  const manager = { find: () => Promise.resolve([]), query: () => Promise.resolve([]) } as unknown as EntityManager;
  const dataSource = { transaction: <T>(work: (m: EntityManager) => Promise<T>) => work(manager) } as unknown as DataSource;
  const metrics = { counter: () => ({ inc: () => undefined }) } as unknown as Metrics;
  return new RunDeadlineSweepService(dataSource, {} as Outbox, tasks, metrics);
}

describe('the deadline sweep (use case)', () => {
  it('does nothing while more than one working day is left', async () => {
    const tasks = new InMemoryTaskRepository(assignedTask());
    expect(await sweeper(tasks).sweep(TUESDAY)).toMatchObject({ reminded: [], escalated: [] });
    expect(tasks.published).toEqual([]);
  });

  it('reminds on the last working day, once (TaskClaimReminderV1)', async () => {
    const task = assignedTask();
    const tasks = new InMemoryTaskRepository(task);
    expect(await sweeper(tasks).sweep(WEDNESDAY_MORNING)).toMatchObject({ reminded: [task.id], escalated: [] });
    expect(await sweeper(tasks).sweep(WEDNESDAY_MORNING)).toMatchObject({ reminded: [], escalated: [] });
    expect(task.remindedAt).toEqual(WEDNESDAY_MORNING);
    expect(tasks.published[0]?.data.remindedAt).toBe(WEDNESDAY_MORNING.toISOString());
    expect(tasks.types()).toEqual(['backbone.supervision.task-claim-reminder.v1']);
  });

  it('escalates past the deadline, once, and does not remind an escalated task (TaskEscalatedV1)', async () => {
    const task = assignedTask();
    const tasks = new InMemoryTaskRepository(task);
    expect(await sweeper(tasks).sweep(THURSDAY)).toMatchObject({ reminded: [], escalated: [task.id] });
    expect(await sweeper(tasks).sweep(THURSDAY)).toMatchObject({ reminded: [], escalated: [] });
    expect(tasks.published).toEqual([
      expect.objectContaining({
        type: 'backbone.supervision.task-escalated.v1',
        data: expect.objectContaining({ escalatedAt: THURSDAY.toISOString(), claimDeadline: task.claimDeadline.toISOString() }),
      }),
    ]);
  });

  it('leaves a claimed task alone', async () => {
    const task = assignedTask();
    task.claim('王芳', TUESDAY);
    task.pullEvents();
    const tasks = new InMemoryTaskRepository(task);
    expect(await sweeper(tasks).sweep(THURSDAY)).toMatchObject({ reminded: [], escalated: [] });
  });
});
