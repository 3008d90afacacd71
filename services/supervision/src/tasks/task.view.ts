import type { SupervisionTask } from './supervision-task.entity';

export function taskView(task: SupervisionTask) {
  return {
    id: task.id,
    approvalId: task.approvalId,
    approvalVersion: task.approvalVersion,
    correlationId: task.correlationId,
    uscc: task.uscc,
    itemCode: task.itemCode,
    regionCode: task.regionCode,
    approverDepartment: task.approverDepartment,
    assignedDepartment: task.assignedDepartment,
    routing: { rule: task.routingRule, catalogEntryId: task.catalogEntryId, catalogVersion: task.catalogVersion },
    status: task.status,
    claimDeadline: task.claimDeadline,
    claim: task.claimedAt ? { handler: task.claimedHandler, at: task.claimedAt } : null,
    createdAt: task.createdAt,
  };
}
