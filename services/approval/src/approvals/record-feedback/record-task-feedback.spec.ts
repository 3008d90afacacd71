import { applyTaskFeedback, TaskFeedback, TaskFeedbackColumns } from './record-task-feedback';

const awaiting: TaskFeedbackColumns = {
  supervisionStatus: 'awaiting_assignment',
  supervisingDepartment: null,
  taskId: null,
  claimDeadline: null,
  claimedAt: null,
};

const assigned = (department: string, taskId = '11111111-1111-4111-8111-111111111111'): TaskFeedback => ({
  kind: 'task_assigned',
  event: {
    taskId,
    approvalId: '22222222-2222-4222-8222-222222222222',
    uscc: '91320700MA1XXXXX0X',
    itemCode: 'FOOD-BUSINESS-LICENCE',
    assignedDepartment: department,
    routingRule: 'separated',
    claimDeadline: '2026-12-03T16:00:00.000Z',
  },
});

const claimed = (department: string): TaskFeedback => ({
  kind: 'task_claimed',
  event: {
    taskId: '11111111-1111-4111-8111-111111111111',
    approvalId: '22222222-2222-4222-8222-222222222222',
    uscc: '91320700MA1XXXXX0X',
    department,
    handler: 'auto-claim',
    claimedAt: '2026-12-01T08:00:00.000Z',
  },
});

/** The set-based feedback path folds a batch's events in order, as the one-at-a-time handlers did. */
describe('task feedback applied to an approval', () => {
  it('an assignment: assigned, the department, the task and its claim deadline', () => {
    expect(applyTaskFeedback(awaiting, assigned('320700-SAMR'))).toEqual({
      supervisionStatus: 'assigned',
      supervisingDepartment: '320700-SAMR',
      taskId: '11111111-1111-4111-8111-111111111111',
      claimDeadline: new Date('2026-12-03T16:00:00.000Z'),
      claimedAt: null,
    });
  });

  it('assigned then claimed in one batch (an automatic claim): claimed, with the deadline of the assignment', () => {
    const after = [assigned('320700-SAMR'), claimed('320700-SAMR')].reduce(applyTaskFeedback, awaiting);
    expect(after).toEqual({
      supervisionStatus: 'claimed',
      supervisingDepartment: '320700-SAMR',
      taskId: '11111111-1111-4111-8111-111111111111',
      claimDeadline: new Date('2026-12-03T16:00:00.000Z'),
      claimedAt: new Date('2026-12-01T08:00:00.000Z'),
    });
  });

  it('an assignment seen after the claim leaves the status claimed (the table), its department and deadline still apply', () => {
    const after = [claimed('320700-SAMR'), assigned('320703-SAMR')].reduce(applyTaskFeedback, awaiting);
    expect(after.supervisionStatus).toBe('claimed');
    expect(after.supervisingDepartment).toBe('320703-SAMR');
    expect(after.claimedAt).toEqual(new Date('2026-12-01T08:00:00.000Z'));
  });

  it('does not change the columns it was given', () => {
    const before = { ...awaiting };
    applyTaskFeedback(awaiting, assigned('320700-SAMR'));
    expect(awaiting).toEqual(before);
  });
});
