import { APPROVAL, assignedTask, route } from '../../test/task-fakes';
import { SupervisionTask } from './supervision-task.entity';

const AT = new Date('2025-06-10T01:00:00Z');

function thrown(work: () => void): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

/** The task owns its lifecycle: each change checks the transition table and records the event it causes. */
describe('a supervision task', () => {
  it('opens assigned to the routed department, with a claim deadline in working days, and records TaskAssignedV1', () => {
    const task = SupervisionTask.open(APPROVAL, route('320700-SAMR'), 'loop-1', new Date(APPROVAL.decidedAt), AT);
    expect(task).toMatchObject({ status: 'assigned', assignedDepartment: '320700-SAMR', assignedBy: 'routing', routingBasis: 'separated' });
    // Its creation instant is its own, not the column's default: the insert reads nothing back (ADR 0101).
    expect(task).toMatchObject({ createdAt: AT, assignedAt: AT, updatedAt: AT });
    // Monday 9 June 2025 + 2 working days = end of Wednesday 11 June, China time.
    expect(task.claimDeadline).toEqual(new Date('2025-06-11T23:59:59.999+08:00'));
    const events = task.pullEvents();
    expect(events.map((event) => event.type.type)).toEqual(['backbone.supervision.task-assigned.v1']);
    expect(events[0]?.data).toMatchObject({ taskId: task.id, assignedDepartment: '320700-SAMR', routingRule: 'separated' });
    expect(task.pullEvents()).toEqual([]);
  });

  it('is claimed once, by the assigned department only, naming the handler (TaskClaimedV1)', () => {
    const task = assignedTask('320700-SAMR');
    expect(thrown(() => task.claimBy('320700-OTHER', '王芳', AT))).toMatchObject({ code: 'NOT_ASSIGNED_DEPARTMENT', status: 403 });
    task.claimBy('320700-SAMR', '王芳', AT);
    expect(task).toMatchObject({ status: 'claimed', claimedHandler: '王芳', claimedAt: AT });
    expect(thrown(() => task.claimBy('320700-SAMR', '李雷', AT))).toMatchObject({ code: 'TASK_ALREADY_CLAIMED', status: 409 });
    expect(task.pullEvents().map((event) => [event.type.type, event.data])).toEqual([
      [
        'backbone.supervision.task-claimed.v1',
        {
          taskId: task.id,
          approvalId: APPROVAL.approvalId,
          uscc: APPROVAL.uscc,
          department: '320700-SAMR',
          handler: '王芳',
          claimedAt: AT.toISOString(),
        },
      ],
    ]);
  });

  it('is returned by the assigned department with its reason (TaskReturnedV1), and remembers who returned it', () => {
    const task = assignedTask('320700-SAMR');
    task.returnBy('320700-SAMR', 'not our item', AT);
    expect(task.status).toBe('returned');
    expect(task.returnedBy('320700-SAMR')).toBe(true);
    expect(task.returnedBy('320700-HEALTH')).toBe(false);
    expect(task.pullEvents().map((event) => event.type.type)).toEqual(['backbone.supervision.task-returned.v1']);
    expect(thrown(() => task.returnBy('320700-SAMR', 'again', AT))).toMatchObject({ code: 'ILLEGAL_TASK_TRANSITION', status: 409 });
  });

  it('reassigned, starts afresh: new department and deadline, reminder, escalation and claim cleared (TaskAssignedV1)', () => {
    const task = assignedTask('320700-SAMR');
    task.remind(AT);
    task.escalate(AT);
    task.returnBy('320700-SAMR', 'not ours', AT);
    task.pullEvents();
    const now = new Date('2025-06-12T02:00:00Z'); // Thursday
    task.reassign({ department: '320700-HEALTH', by: 'PLATFORM-OPS', note: 'by hand', claimDeadlineDays: 1 }, now);
    expect(task).toMatchObject({
      status: 'assigned',
      assignedDepartment: '320700-HEALTH',
      assignedBy: 'PLATFORM-OPS',
      assignmentNote: 'by hand',
      routingBasis: 'manual',
      remindedAt: null,
      escalatedAt: null,
      claimedHandler: null,
    });
    expect(task.claimDeadline).toEqual(new Date('2025-06-13T23:59:59.999+08:00'));
    expect(task.pullEvents().map((event) => event.type.type)).toEqual(['backbone.supervision.task-assigned.v1']);
  });

  it('reassigned by routing, takes the route and the entry it came from', () => {
    const task = assignedTask('320700-SAMR');
    task.reassign({ department: '320700-HEALTH', route: route('320700-HEALTH', { basis: 'filing' }), by: 'routing' }, AT);
    expect(task).toMatchObject({ routingBasis: 'filing', catalogEntryId: 'entry-1', catalogVersion: 1, assignmentNote: null });
  });

  it('is reminded and escalated while it awaits its claim, never after (marks, not states)', () => {
    const task = assignedTask();
    task.remind(AT);
    task.escalate(AT);
    expect(task).toMatchObject({ status: 'assigned', remindedAt: AT, escalatedAt: AT });
    expect(task.pullEvents().map((event) => event.type.type)).toEqual([
      'backbone.supervision.task-claim-reminder.v1',
      'backbone.supervision.task-escalated.v1',
    ]);
    task.claim('王芳', AT);
    expect(thrown(() => task.escalate(AT))).toMatchObject({ code: 'ILLEGAL_TASK_TRANSITION' });
    expect(thrown(() => task.remind(AT))).toMatchObject({ code: 'ILLEGAL_TASK_TRANSITION' });
  });

  it('closes with its reason (TaskClosedV1), and a closed task moves no more', () => {
    const task = assignedTask();
    task.close('approval cancelled: business ended', AT);
    expect(task).toMatchObject({ status: 'closed', closedAt: AT, closeReason: 'approval cancelled: business ended' });
    expect(task.canBeReassigned()).toBe(false);
    expect(task.pullEvents()[0]?.data).toMatchObject({ reason: 'approval cancelled: business ended', closedAt: AT.toISOString() });
    expect(thrown(() => task.claim('王芳', AT))).toMatchObject({ code: 'ILLEGAL_TASK_TRANSITION' });
    expect(thrown(() => task.reassign({ department: 'X', by: 'routing' }, AT))).toMatchObject({ code: 'ILLEGAL_TASK_TRANSITION' });
  });

  it('tells the approver of an update, the note cut to the contract length (TaskUpdatedV1)', () => {
    const task = assignedTask();
    task.followApproval(2, 'filing', AT);
    task.recordUpdate('x'.repeat(600), AT);
    const [event] = task.pullEvents();
    expect(event?.type.type).toBe('backbone.supervision.task-updated.v1');
    expect(event?.data).toMatchObject({ approvalVersion: 2, change: 'x'.repeat(500) });
    expect(task.approvalKind).toBe('filing');
  });

  it('takes in delegation and entrustment seen later for the same version, unless assigned by hand', () => {
    const task = assignedTask();
    const entrusted = { ...APPROVAL, entrustment: { entrustingDepartment: '320700-COMMERCE', agreement: 'agreement 7' } };
    expect(task.takeIn({ ...entrusted, version: 2 })).toBe(false);
    expect(task.takeIn(entrusted)).toBe(true);
    expect(task.approval().entrustment).toEqual({ entrustingDepartment: '320700-COMMERCE', agreement: 'agreement 7' });
    expect(task.takeIn(entrusted)).toBe(false);
    const byHand = assignedTask();
    byHand.reassign({ department: 'X', by: 'PLATFORM-OPS' }, AT);
    expect(byHand.takeIn(entrusted)).toBe(false);
  });
});
