import { assignedTask, config, fakeDataSource, fixedRouting, InMemoryTaskRepository, route } from '../../../test/task-fakes';
import { TaskLifecycle } from '../task-lifecycle.service';
import { ReturnTaskService } from './return-task.service';

function service(tasks: InMemoryTaskRepository, routing: ReturnType<typeof fixedRouting>) {
  return new ReturnTaskService(fakeDataSource(), tasks, routing, new TaskLifecycle(tasks, config()));
}

describe('returning a task (use case)', () => {
  it('re-routes at once when the catalog names a department that has not returned it', async () => {
    const task = assignedTask('320700-SAMR');
    const tasks = new InMemoryTaskRepository(task);
    const routing = fixedRouting(route('320700-HEALTH'));
    const result = await service(tasks, routing).returnTask(task.id, '320700-SAMR', 'not our item');
    expect(result).toMatchObject({ status: 'assigned', assignedDepartment: '320700-HEALTH', assignedBy: 'routing' });
    expect(tasks.types()).toEqual(['backbone.supervision.task-returned.v1', 'backbone.supervision.task-assigned.v1']);
    // Routing is asked about the approval the task stands for.
    expect(routing.asked[0]).toMatchObject({ approvalId: task.approvalId, itemCode: task.itemCode, regionCode: task.regionCode });
  });

  it('stays returned, in sight, when the catalog names the department that returned it', async () => {
    const task = assignedTask('320700-SAMR');
    const tasks = new InMemoryTaskRepository(task);
    const result = await service(tasks, fixedRouting(route('320700-SAMR'))).returnTask(task.id, '320700-SAMR', 'not ours');
    expect(result.status).toBe('returned');
    expect(tasks.types()).toEqual(['backbone.supervision.task-returned.v1']);
  });

  it('stays returned when nothing routes it', async () => {
    const task = assignedTask('320700-SAMR');
    const tasks = new InMemoryTaskRepository(task);
    const result = await service(tasks, fixedRouting({ routed: false, reason: 'no entry' })).returnTask(task.id, '320700-SAMR', 'x');
    expect(result.status).toBe('returned');
  });

  it('refuses a department the task is not assigned to, and an unknown task', async () => {
    const task = assignedTask('320700-SAMR');
    const tasks = new InMemoryTaskRepository(task);
    const returning = service(tasks, fixedRouting(route('320700-HEALTH')));
    await expect(returning.returnTask(task.id, '320700-HEALTH', 'x')).rejects.toMatchObject({
      code: 'NOT_ASSIGNED_DEPARTMENT',
      status: 403,
    });
    await expect(returning.returnTask('00000000-0000-4000-8000-00000000dead', '320700-SAMR', 'x')).rejects.toMatchObject({
      code: 'TASK_NOT_FOUND',
    });
    expect(tasks.published).toEqual([]);
  });
});
