import type { SupervisionStatus } from './approval.entity';

/**
 * The approval's supervision status, in one place: the approver's view of where its approval stands in
 * the double loop (docs/domain.md §2), moved only by supervision's feedback events. State → the states
 * that feedback may move it to:
 *
 * - assigned: a task was assigned, from awaiting_assignment, unrouted (a catalog entry now covers it) or
 *   returned (re-routed); an assignment seen while claimed, escalated or closed leaves the status alone
 *   (a re-routing does not undo a claim, nor hide an escalation).
 * - claimed: from any state (the claim is the strongest fact: the loop is acknowledged).
 * - unrouted: only while awaiting assignment (a supervision vacuum).
 * - returned: from any state but closed.
 * - escalated: from any state but claimed and closed (unclaimed past its deadline).
 * - closed: from any state.
 *
 * Feedback is a fact, never refused: a move the table does not allow leaves the status as it is, and the
 * event's other effects (department, deadline, reasons) still apply.
 */
export const SUPERVISION_STATUS_TRANSITIONS: Readonly<Record<SupervisionStatus, readonly SupervisionStatus[]>> = {
  awaiting_assignment: ['assigned', 'claimed', 'unrouted', 'returned', 'escalated', 'closed'],
  assigned: ['claimed', 'returned', 'escalated', 'closed'],
  claimed: ['claimed', 'returned', 'closed'],
  unrouted: ['assigned', 'claimed', 'returned', 'escalated', 'closed'],
  returned: ['assigned', 'claimed', 'returned', 'escalated', 'closed'],
  escalated: ['claimed', 'returned', 'escalated', 'closed'],
  closed: ['claimed', 'closed'],
};

export const SUPERVISION_STATES = Object.keys(SUPERVISION_STATUS_TRANSITIONS) as SupervisionStatus[];

export function canMoveSupervision(from: SupervisionStatus, to: SupervisionStatus): boolean {
  return SUPERVISION_STATUS_TRANSITIONS[from].includes(to);
}

/** The status after feedback that would move it to `to`: `to` when the table allows it, else unchanged. */
export function nextSupervisionStatus(from: SupervisionStatus, to: SupervisionStatus): SupervisionStatus {
  return canMoveSupervision(from, to) ? to : from;
}
