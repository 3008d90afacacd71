import type { EntityManager } from 'typeorm';
import { APPROVAL, config, InMemoryTaskRepository, route } from '../../test/task-fakes';
import { TaskLifecycle } from './task-lifecycle.service';

/** A manager that records the rows inserted through a query builder (the commitment verification). */
function recordingManager() {
  const inserted: Array<Record<string, unknown>> = [];
  const builder = {
    insert: () => builder,
    into: () => builder,
    values: (row: Record<string, unknown>) => {
      inserted.push(row);
      return builder;
    },
    orIgnore: () => builder,
    execute: () => Promise.resolve(),
  };
  return { inserted, manager: { createQueryBuilder: () => builder } as unknown as EntityManager };
}

describe('the lifecycle that comes with every assignment', () => {
  it('opens a task: stored, TaskAssignedV1 published, nothing else for a licence', async () => {
    const tasks = new InMemoryTaskRepository();
    const { inserted, manager } = recordingManager();
    const task = await new TaskLifecycle(tasks, config()).open(
      manager,
      APPROVAL,
      route('320700-SAMR'),
      'loop-1',
      new Date(APPROVAL.decidedAt),
    );
    expect(tasks.rows.get(task.id)).toBe(task);
    expect(tasks.types()).toEqual(['backbone.supervision.task-assigned.v1']);
    expect(inserted).toEqual([]);
  });

  it('schedules the verification of a commitment-based approval, due in its working days', async () => {
    const tasks = new InMemoryTaskRepository();
    const { inserted, manager } = recordingManager();
    const commitment = { ...APPROVAL, kind: 'commitment' as const };
    const task = await new TaskLifecycle(tasks, config()).open(
      manager,
      commitment,
      route('320700-SAMR', { basis: 'commitment' }),
      'loop-1',
      new Date(APPROVAL.decidedAt),
    );
    expect(inserted).toEqual([
      expect.objectContaining({
        approvalId: APPROVAL.approvalId,
        taskId: task.id,
        // Monday 9 June 2025 + 20 working days (no holiday in between) = Monday 7 July.
        dueAt: new Date('2025-07-07T23:59:59.999+08:00'),
      }),
    ]);
  });

  it('lets an auto-claim department claim at once, after the assignment', async () => {
    const tasks = new InMemoryTaskRepository();
    const { manager } = recordingManager();
    const lifecycle = new TaskLifecycle(tasks, config({ AUTO_CLAIM_DEPARTMENTS: 'A-DEPT,320700-SAMR' }));
    const task = await lifecycle.open(manager, APPROVAL, route('320700-SAMR'), 'loop-1', new Date(APPROVAL.decidedAt));
    expect(task).toMatchObject({ status: 'claimed', claimedHandler: 'auto-claim' });
    expect(tasks.types()).toEqual(['backbone.supervision.task-assigned.v1', 'backbone.supervision.task-claimed.v1']);
  });
});
