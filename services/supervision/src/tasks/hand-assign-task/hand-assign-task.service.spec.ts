import { assignedTask, config, fakeDataSource, InMemoryTaskRepository } from '../../../test/task-fakes';
import { TaskLifecycle } from '../task-lifecycle.service';
import { HandAssignTaskService } from './hand-assign-task.service';

describe('assigning a task by hand (use case)', () => {
  function setUp(autoClaim = '') {
    const task = assignedTask('320700-SAMR');
    task.returnBy('320700-SAMR', 'not ours', new Date());
    task.pullEvents();
    const tasks = new InMemoryTaskRepository(task);
    const cfg = config({ AUTO_CLAIM_DEPARTMENTS: autoClaim });
    return { task, tasks, service: new HandAssignTaskService(fakeDataSource(), tasks, new TaskLifecycle(tasks, cfg), cfg) };
  }

  it('lets an operator assign a returned task to a department, with the reason and its own deadline (TaskAssignedV1)', async () => {
    const { task, tasks, service } = setUp();
    const result = await service.assignByHand(task.id, 'PLATFORM-OPS', {
      department: '320700-HEALTH',
      reason: 'health supervises',
      claimDeadlineDays: 3,
    });
    expect(result).toMatchObject({
      status: 'assigned',
      assignedDepartment: '320700-HEALTH',
      assignedBy: 'PLATFORM-OPS',
      assignmentNote: 'health supervises',
      routingBasis: 'manual',
    });
    expect(tasks.types()).toEqual(['backbone.supervision.task-assigned.v1']);
  });

  it('refuses a department that is not an operator, before touching the task', async () => {
    const { task, tasks, service } = setUp();
    // Refused at once (synchronously), before any transaction.
    expect(() => service.assignByHand(task.id, '320700-SAMR', { department: '320700-HEALTH', reason: 'x' })).toThrow(
      expect.objectContaining({ code: 'OPERATOR_ONLY', status: 403 }),
    );
    expect(tasks.saves).toBe(0);
  });

  it('lets an auto-claim department claim at once (TaskAssignedV1, then TaskClaimedV1)', async () => {
    const { task, tasks, service } = setUp('320700-HEALTH');
    const result = await service.assignByHand(task.id, 'PLATFORM-OPS', { department: '320700-HEALTH', reason: 'x' });
    expect(result).toMatchObject({ status: 'claimed', claimedHandler: 'auto-claim' });
    expect(tasks.types()).toEqual(['backbone.supervision.task-assigned.v1', 'backbone.supervision.task-claimed.v1']);
  });
});
