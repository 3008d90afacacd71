import { ApprovalDecidedV2, TaskAssignedV1, validatePayload } from '@backbone/contracts';
import { APPROVAL, route } from '../../test/task-fakes';
import { openedTaskEventsValidByConstruction } from './opened-task-events';
import type { RoutingRule } from '@backbone/contracts';
import { StoredApproval, SupervisionTask, TaskRoute } from './supervision-task.entity';

/**
 * Supervision writes the events that open a task without validating them again (ADR 0036): a task opened
 * for an approval whose decided event passed ApprovalDecidedV2's rules, routed by the catalog, makes a
 * valid TaskAssignedV1 (and TaskClaimedV1 when claimed automatically). Each row is such an approval or
 * route at a boundary of those rules; what the rules do not settle is caught by
 * `openedTaskEventsValidByConstruction` and validated as before.
 */
const AT = new Date('2026-11-30T08:00:00Z');

const APPROVALS: Array<[string, Partial<StoredApproval>]> = [
  ['the approval of the fakes', {}],
  ['every field at its longest', { itemCode: 'I'.repeat(64), entityName: '食'.repeat(200), approverDepartment: 'A'.repeat(64) }],
  ['an item code of 64 CJK characters', { itemCode: '项'.repeat(64) }],
  ['an item code of 64 characters outside the BMP', { itemCode: '𠀀'.repeat(64) }],
  ['every field at its shortest', { itemCode: 'I', entityName: '甲' }],
  ['an approval id in capitals, not version 4', { approvalId: 'A0B1C2D3-E4F5-1A2B-8C3D-0123456789AB' }],
  ['decided at the first instant of year 0001', { decidedAt: '0001-01-01T00:00:00.000Z' }],
  ['decided late in year 9999', { decidedAt: '9999-06-01T00:00:00.000Z' }],
  [
    'a commitment with delegation and entrustment',
    {
      kind: 'commitment',
      delegation: { fromRegionCode: '320000', fromDepartment: 'D'.repeat(64) },
      entrustment: { entrustingDepartment: 'E'.repeat(64), agreement: '协'.repeat(200) },
    },
  ],
];

const ROUTES: Array<[string, ReturnType<typeof route>]> = [
  ['separated, a department of one character', route('S')],
  ['integrated, a department of 64 characters', route('D'.repeat(64), { rule: 'integrated', basis: 'integrated' })],
  [
    'a department of 64 CJK characters, one working day to claim',
    route('监'.repeat(64), { entry: { ...route('x').entry, claimDeadlineDays: 1 } }),
  ],
  ['the most working days a catalog entry gives (30)', route('320700-SAMR', { entry: { ...route('x').entry, claimDeadlineDays: 30 } })],
];

function decidedPayload(approval: StoredApproval): ApprovalDecidedV2 {
  return { ...approval, outcome: 'granted', licenceNumber: 'L-1' };
}

function problemsOf(task: SupervisionTask): string[] {
  return task.pullEvents().flatMap((event) => validatePayload(event.type, event.data).map((problem) => `${event.type.type} ${problem}`));
}

describe('the events that open a task, built from a validated decided event and a route', () => {
  const cases = APPROVALS.flatMap(([approvalName, fields]) =>
    ROUTES.flatMap(([routeName, taskRoute]) =>
      [false, true].map(
        (autoClaim) =>
          [`${approvalName}; ${routeName}${autoClaim ? '; claimed automatically' : ''}`, fields, taskRoute, autoClaim] as const,
      ),
    ),
  );

  it.each(cases)('are valid without validating them again: %s', (_name, fields, taskRoute, autoClaim) => {
    const approval = { ...APPROVAL, ...fields };
    expect(validatePayload(ApprovalDecidedV2, decidedPayload(approval))).toEqual([]);
    const task = SupervisionTask.open(approval, taskRoute, 'loop-1', new Date(approval.decidedAt), AT);
    if (autoClaim) task.claim('auto-claim', AT);
    expect(openedTaskEventsValidByConstruction(task)).toBe(true);
    expect(problemsOf(task)).toEqual([]);
  });

  const opened = (department: string, overrides: Partial<TaskRoute> = {}) =>
    SupervisionTask.open(APPROVAL, route(department, overrides), 'loop-1', new Date(APPROVAL.decidedAt), AT);

  it.each([
    ['a department over 64 characters', () => opened('D'.repeat(65)), 'assignedDepartment'],
    ['an empty department', () => opened(''), 'assignedDepartment'],
    ['a routing rule the event does not know', () => opened('320700-SAMR', { rule: 'shared' as RoutingRule }), 'routingRule'],
    ['a handler over 100 characters', () => claimed(opened('320700-SAMR'), 'H'.repeat(101), AT), 'handler'],
    ['a claim past year 9999', () => claimed(opened('320700-SAMR'), 'auto-claim', new Date('+010000-01-01T00:00:00Z')), 'claimedAt'],
  ])('are validated where the catalog or the clock gives what the events refuse: %s', (_name, open, field) => {
    const task = open();
    expect(openedTaskEventsValidByConstruction(task)).toBe(false);
    expect(problemsOf(task).join('; ')).toContain(field);
  });

  it('are validated when the claim deadline is past year 9999 (a date the working-day calendar does not reach today)', () => {
    const task = opened('320700-SAMR');
    const [assigned] = task.pullEvents();
    task.claimDeadline = new Date('+010000-01-01T00:00:00Z');
    expect(openedTaskEventsValidByConstruction(task)).toBe(false);
    const data = { ...(assigned.data as TaskAssignedV1), claimDeadline: task.claimDeadline.toISOString() };
    expect(validatePayload(TaskAssignedV1, data).join('; ')).toContain('claimDeadline');
  });
});

function claimed(task: SupervisionTask, handler: string, at: Date): SupervisionTask {
  task.claim(handler, at);
  return task;
}
