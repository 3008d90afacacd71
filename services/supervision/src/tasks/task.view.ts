import type { SupervisionTask } from './supervision-task.entity';

/** A task as both sides see it: state, deadline, and whether it was reminded or escalated. */
export function taskView(task: SupervisionTask) {
  return {
    id: task.id,
    approvalId: task.approvalId,
    approvalVersion: task.approvalVersion,
    approvalKind: task.approvalKind,
    correlationId: task.correlationId,
    uscc: task.uscc,
    itemCode: task.itemCode,
    regionCode: task.regionCode,
    approverDepartment: task.approverDepartment,
    assignedDepartment: task.assignedDepartment,
    routing: {
      rule: task.routingRule,
      basis: task.routingBasis,
      catalogEntryId: task.catalogEntryId,
      catalogVersion: task.catalogVersion,
      assignedBy: task.assignedBy,
      assignmentNote: task.assignmentNote,
      assignedAt: task.assignedAt,
    },
    delegation: task.delegatedFromRegion
      ? { fromRegionCode: task.delegatedFromRegion, fromDepartment: task.delegatedFromDepartment }
      : null,
    entrustment: task.entrustingDepartment
      ? { entrustingDepartment: task.entrustingDepartment, agreement: task.entrustmentAgreement }
      : null,
    status: task.status,
    claimDeadline: task.claimDeadline,
    reminded: task.remindedAt !== null,
    remindedAt: task.remindedAt,
    escalated: task.escalatedAt !== null,
    escalatedAt: task.escalatedAt,
    claim: task.claimedAt ? { handler: task.claimedHandler, at: task.claimedAt } : null,
    returns: task.returns,
    closed: task.closedAt ? { at: task.closedAt, reason: task.closeReason } : null,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}
