import { ROUTING_RULES } from '@backbone/contracts';
import type { SupervisionTask } from './supervision-task.entity';

/**
 * Whether the events opening `task` caused (TaskAssignedV1, and TaskClaimedV1 for an automatic claim) need
 * no validation before they are written (ADR 0036). They are built from the approval of a decided event the
 * inbox validated (approvalId, uscc and itemCode are under the same rules in ApprovalDecidedV1/V2 as in the
 * task events), a random task id, the route the catalog gave, and dates. What the approval's rules do not
 * settle is checked here: the department the catalog names (1–64 characters), the routing rule, the
 * claim deadline's and claim's ISO text (a year past 9999 has six digits), the handler (1–100).
 * `opened-task-events.spec.ts` proves it over the rules' boundaries; the caller answers for the approval
 * (routeDecidedMany: it comes from a validated event), and every other event a task causes is validated.
 */
export function openedTaskEventsValidByConstruction(task: SupervisionTask): boolean {
  return (
    (task.status === 'assigned' || task.status === 'claimed') &&
    withinLength(task.assignedDepartment, 64) &&
    ROUTING_RULES.includes(task.routingRule) &&
    fourDigitYear(task.claimDeadline) &&
    (task.claimedAt === null || (fourDigitYear(task.claimedAt) && withinLength(task.claimedHandler, 100)))
  );
}

/** 1 to `max` characters: UTF-16 units, never fewer than the code points class-validator's Length counts. */
function withinLength(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= max;
}

function fourDigitYear(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= 0 && year <= 9999;
}
