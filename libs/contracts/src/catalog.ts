import type { EventClass } from './event-class';
import { ApprovalDecidedV1 } from './events/approval-decided.v1';
import { ApprovalUnroutedV1, InspectionRecordedV1, TaskAssignedV1, TaskClaimedV1 } from './events/supervision.v1';
import { CaseOpenedV1, PenaltyDecidedV1 } from './events/enforcement.v1';

/** Every published event type. The AsyncAPI document and every consumer's validation come from this list. */
export const EVENT_CATALOG: readonly EventClass[] = [
  ApprovalDecidedV1,
  TaskAssignedV1,
  ApprovalUnroutedV1,
  TaskClaimedV1,
  InspectionRecordedV1,
  CaseOpenedV1,
  PenaltyDecidedV1,
];

const byType = new Map<string, EventClass>(EVENT_CATALOG.map((eventClass) => [eventClass.type, eventClass]));
if (byType.size !== EVENT_CATALOG.length) throw new Error('two event classes share a CloudEvents type');

export function eventClassOf(type: string): EventClass | undefined {
  return byType.get(type);
}
