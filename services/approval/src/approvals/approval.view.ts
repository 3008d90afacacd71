import { jsonTime } from '@backbone/contracts';
import type { LicenceTransition } from '../licences/licence-transition.entity';
import type { HoldPolicy } from '../holds/hold-policy';
import type { Approval } from './approval.entity';
import type { FeedbackEntry } from './approval-feedback';

/** How an approval is shown to its callers: the decision, the licence and its history, and the loop so far. */
export function approvalView(
  approval: Approval,
  holds: Pick<HoldPolicy, 'appliesTo'>,
  feedback: FeedbackEntry[] = [],
  transitions: LicenceTransition[] = [],
) {
  return {
    id: approval.id,
    version: approval.version,
    correlationId: approval.correlationId,
    applicationNumber: approval.applicationNumber,
    uscc: approval.uscc,
    entityName: approval.entityName,
    itemCode: approval.itemCode,
    regionCode: approval.regionCode,
    approverDepartment: approval.approverDepartment,
    kind: approval.kind,
    outcome: approval.outcome,
    decidedAt: time(approval.decidedAt),
    validUntil: time(approval.validUntil),
    delegation: approval.delegation,
    entrustment: approval.entrustment,
    lastChange: approval.lastChange,
    stillSupervised: approval.stillSupervised,
    /** `held`: not published while the entity has an open enforcement case. */
    publication: {
      status: approval.publicationStatus,
      heldReason: approval.heldReason,
      heldSince: time(approval.heldSince),
      releasedAt: time(approval.releasedAt),
      /** Whether this approval's item is held while its entity has an open case (HOLD_ITEMS_DURING_OPEN_CASE; none by default). */
      holdDuringOpenCase: holds.appliesTo(approval.itemCode),
    },
    creditCheck: { stricterReview: approval.stricterReview, fastTrack: approval.fastTrack, reason: approval.creditCheckReason },
    /** The active risk warning that covered the application and flagged it for stricter review (docs/domain.md §8). */
    riskWarning: approval.riskWarning,
    licence: {
      number: approval.licenceNumber,
      status: approval.licenceStatus,
      suspendedUntil: time(approval.suspendedUntil),
      rectification: approval.rectificationDeadline
        ? { deadline: time(approval.rectificationDeadline), reason: approval.rectificationReason }
        : null,
      transitions: transitions.map((row) => ({
        from: row.fromStatus,
        to: row.toStatus,
        applied: row.applied,
        until: time(row.until),
        reason: row.reason,
        causeEventId: row.causeEventId,
        causeEventType: row.causeEventType,
        at: time(row.at),
      })),
    },
    supervision: {
      status: approval.supervisionStatus,
      department: approval.supervisingDepartment,
      taskId: approval.taskId,
      claimDeadline: time(approval.claimDeadline),
      claimedAt: time(approval.claimedAt),
      claimRemindedAt: time(approval.claimRemindedAt),
      /** The claim deadline passed unclaimed: the approver sees it here (and stays seeing it after a late claim). */
      escalation: approval.escalatedAt ? { escalatedAt: time(approval.escalatedAt), claimDeadline: time(approval.claimDeadline) } : null,
      returnedReason: approval.returnedReason,
      closedReason: approval.closedReason,
    },
    feedback: feedback.map((row) => ({ kind: row.kind, eventId: row.eventId, receivedAt: time(row.receivedAt), detail: row.detail })),
  };
}

export type ApprovalView = ReturnType<typeof approvalView>;

/**
 * An instant as the answer's JSON shows it (`Date.prototype.toJSON`'s text, null for an invalid date),
 * written by `jsonTime`: JSON.stringify reaches `toJSON` by its slow path, about 2 µs a date (ADR 0034,
 * 0104). Anything that is not a Date is itself.
 */
function time<T>(value: T): Exclude<T, Date> | (T extends Date ? string | null : never) {
  return (value instanceof Date ? jsonTime(value) : value) as Exclude<T, Date> | (T extends Date ? string | null : never);
}
