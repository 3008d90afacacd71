import { assignedTask, fakeDataSource, InMemoryTaskRepository } from '../../../test/task-fakes';
import { ClaimTaskService } from './claim-task.service';

describe('claiming a task (use case)', () => {
  it('claims the task for its handler and publishes TaskClaimedV1 with the save', async () => {
    const task = assignedTask('320700-SAMR');
    const tasks = new InMemoryTaskRepository(task);
    const claimed = await new ClaimTaskService(fakeDataSource(), tasks).claim(task.id, '320700-SAMR', '王芳');
    expect(claimed).toMatchObject({ status: 'claimed', claimedHandler: '王芳' });
    expect(tasks.saves).toBe(1);
    expect(tasks.published).toEqual([
      expect.objectContaining({ type: 'backbone.supervision.task-claimed.v1', data: expect.objectContaining({ handler: '王芳' }) }),
    ]);
  });

  it('refuses an unknown task, another department and a second claim, and then saves and publishes nothing', async () => {
    const task = assignedTask('320700-SAMR');
    const tasks = new InMemoryTaskRepository(task);
    const service = new ClaimTaskService(fakeDataSource(), tasks);
    await expect(service.claim('00000000-0000-4000-8000-00000000dead', '320700-SAMR', '王芳')).rejects.toMatchObject({
      code: 'TASK_NOT_FOUND',
      status: 404,
    });
    await expect(service.claim(task.id, '320700-HEALTH', '王芳')).rejects.toMatchObject({ code: 'NOT_ASSIGNED_DEPARTMENT' });
    await service.claim(task.id, '320700-SAMR', '王芳');
    await expect(service.claim(task.id, '320700-SAMR', '李雷')).rejects.toMatchObject({ code: 'TASK_ALREADY_CLAIMED', status: 409 });
    expect(tasks.types()).toEqual(['backbone.supervision.task-claimed.v1']);
  });
});
