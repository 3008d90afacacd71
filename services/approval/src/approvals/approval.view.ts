import type { Approval, ApprovalFeedback } from './approval.entity';

/** How an approval is shown to its callers: the decision, the licence, and the loop so far. */
export function approvalView(approval: Approval, feedback: ApprovalFeedback[] = []) {
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
    licence: { number: approval.licenceNumber, status: approval.licenceStatus, suspendedUntil: approval.suspendedUntil },
    supervision: {
      status: approval.supervisionStatus,
      department: approval.supervisingDepartment,
      taskId: approval.taskId,
      claimedAt: approval.claimedAt,
    },
    feedback: feedback.map((row) => ({ kind: row.kind, eventId: row.eventId, receivedAt: row.receivedAt, detail: row.detail })),
  };
}

export type ApprovalView = ReturnType<typeof approvalView>;
