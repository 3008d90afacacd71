import type { ApprovalChangedV1 } from '@backbone/contracts';
import { APPROVAL, assignedTask, config, fixedRouting, InMemoryTaskRepository, MANAGER, route } from '../../../test/task-fakes';
import type { RoutingDecision } from '../../catalog/route-approval';
import { TaskLifecycle } from '../task-lifecycle.service';
import { UpdateTaskService } from './update-task.service';

const ORIGIN = { correlationId: 'loop-1', causationId: 'change-event-1' };

function change(overrides: Partial<ApprovalChangedV1> = {}): ApprovalChangedV1 {
  return {
    approvalId: APPROVAL.approvalId,
    version: 2,
    uscc: APPROVAL.uscc,
    entityName: APPROVAL.entityName,
    itemCode: APPROVAL.itemCode,
    regionCode: APPROVAL.regionCode,
    approverDepartment: APPROVAL.approverDepartment,
    kind: 'licence',
    change: 'amended',
    reason: 'new address',
    changedAt: '2025-06-10T02:00:00.000Z',
    ...overrides,
  } as ApprovalChangedV1;
}

function setUp(decision: RoutingDecision) {
  const task = assignedTask('320700-SAMR');
  const tasks = new InMemoryTaskRepository(task);
  const lifecycle = new TaskLifecycle(tasks, config());
  const scheduled: string[] = [];
  lifecycle.scheduleVerification = (_manager, scheduledTask) => {
    scheduled.push(scheduledTask.id);
    return Promise.resolve();
  };
  return { task, tasks, scheduled, service: new UpdateTaskService(tasks, fixedRouting(decision), lifecycle) };
}

describe("following an approval's change (use case)", () => {
  it('updates the task in place and tells the approver on the loop of the change (TaskUpdatedV1)', async () => {
    const { task, tasks, service } = setUp(route('320700-SAMR'));
    await service.approvalChanged(MANAGER, change(), ORIGIN);
    expect(task).toMatchObject({ approvalVersion: 2, assignedDepartment: '320700-SAMR', status: 'assigned' });
    expect(tasks.published).toEqual([
      expect.objectContaining({
        type: 'backbone.supervision.task-updated.v1',
        data: expect.objectContaining({ approvalVersion: 2, change: 'amended: new address' }),
        origin: ORIGIN,
      }),
    ]);
  });

  it('re-routes when the rule that now applies names another department (TaskAssignedV1, then TaskUpdatedV1 saying so)', async () => {
    const { task, tasks, service } = setUp(route('320700-HEALTH', { basis: 'filing' }));
    await service.approvalChanged(MANAGER, change({ change: 'converted_to_filing', reason: 'filing now' }), ORIGIN);
    expect(task).toMatchObject({ approvalKind: 'filing', assignedDepartment: '320700-HEALTH', routingBasis: 'filing' });
    expect(tasks.types()).toEqual(['backbone.supervision.task-assigned.v1', 'backbone.supervision.task-updated.v1']);
    expect(tasks.published[0]?.origin).toBeUndefined();
    expect(tasks.published[1]?.data.change).toBe(
      'converted_to_filing: filing now (now supervised by 320700-HEALTH under rule filing, was 320700-SAMR)',
    );
  });

  it('schedules the verification of an approval converted to a commitment', async () => {
    const { task, scheduled, service } = setUp(route('320700-SAMR', { basis: 'commitment' }));
    await service.approvalChanged(MANAGER, change({ change: 'converted_to_commitment' }), ORIGIN);
    expect(scheduled).toEqual([task.id]);
  });

  it('closes the task of an approval cancelled and no longer supervised (TaskClosedV1)', async () => {
    const { task, tasks, service } = setUp(route('320700-SAMR'));
    await service.approvalChanged(MANAGER, change({ change: 'cancelled', stillSupervised: false, reason: 'business ended' }), ORIGIN);
    expect(task).toMatchObject({ status: 'closed', closeReason: 'approval cancelled: business ended' });
    expect(tasks.published).toEqual([expect.objectContaining({ type: 'backbone.supervision.task-closed.v1', origin: ORIGIN })]);
  });

  it('ignores a change it has already seen, and any change of a closed task', async () => {
    const { task, tasks, service } = setUp(route('320700-HEALTH'));
    await service.approvalChanged(MANAGER, change({ version: 1 }), ORIGIN);
    task.close('done', new Date());
    task.pullEvents();
    await service.approvalChanged(MANAGER, change({ version: 3 }), ORIGIN);
    expect(tasks.published).toEqual([]);
    expect(task.approvalVersion).toBe(1);
  });
});
