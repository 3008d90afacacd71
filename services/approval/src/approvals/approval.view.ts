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
    decidedAt: approval.decidedAt,
    validUntil: approval.validUntil,
    delegation: approval.delegation,
    entrustment: approval.entrustment,
    lastChange: approval.lastChange,
    stillSupervised: approval.stillSupervised,
    /** `held`: not published while the entity has an open enforcement case. */
    publication: {
      status: approval.publicationStatus,
      heldReason: approval.heldReason,
      heldSince: approval.heldSince,
      releasedAt: approval.releasedAt,
      /** Whether this approval's item is held while its entity has an open case (HOLD_ITEMS_DURING_OPEN_CASE; none by default). */
      holdDuringOpenCase: holds.appliesTo(approval.itemCode),
    },
    creditCheck: { stricterReview: approval.stricterReview, fastTrack: approval.fastTrack, reason: approval.creditCheckReason },
    /** The active risk warning that covered the application and flagged it for stricter review (docs/domain.md §8). */
    riskWarning: approval.riskWarning,
    licence: {
      number: approval.licenceNumber,
      status: approval.licenceStatus,
      suspendedUntil: approval.suspendedUntil,
      rectification: approval.rectificationDeadline
        ? { deadline: approval.rectificationDeadline, reason: approval.rectificationReason }
        : null,
      transitions: transitions.map((row) => ({
        from: row.fromStatus,
        to: row.toStatus,
        applied: row.applied,
        until: row.until,
        reason: row.reason,
        causeEventId: row.causeEventId,
        causeEventType: row.causeEventType,
        at: row.at,
      })),
    },
    supervision: {
      status: approval.supervisionStatus,
      department: approval.supervisingDepartment,
      taskId: approval.taskId,
      claimDeadline: approval.claimDeadline,
      claimedAt: approval.claimedAt,
      claimRemindedAt: approval.claimRemindedAt,
      /** The claim deadline passed unclaimed: the approver sees it here (and stays seeing it after a late claim). */
      escalation: approval.escalatedAt ? { escalatedAt: approval.escalatedAt, claimDeadline: approval.claimDeadline } : null,
      returnedReason: approval.returnedReason,
      closedReason: approval.closedReason,
    },
    feedback: feedback.map((row) => ({ kind: row.kind, eventId: row.eventId, receivedAt: row.receivedAt, detail: row.detail })),
  };
}

export type ApprovalView = ReturnType<typeof approvalView>;
