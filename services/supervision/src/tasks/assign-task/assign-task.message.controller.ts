import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ApprovalDecidedV1, ApprovalDecidedV2 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import type { StoredApproval } from '../supervision-task.entity';
import { AssignTaskService } from './assign-task.service';

/**
 * The first leg of the double push: a granted approval is routed through the catalog to the
 * department that must supervise it, with a claim deadline in working days. An approval that no entry
 * covers is recorded as a supervision vacuum and announced, never dropped. Reads both versions of
 * `approval decided` (v2 adds delegation and entrustment).
 */
@Controller()
export class AssignTaskMessageController {
  constructor(private readonly assign: AssignTaskService) {}

  @EventPattern(ApprovalDecidedV1.type)
  async approvalDecided(@Payload() approval: ApprovalDecidedV1, @Ctx() context: InboxContext) {
    await this.decided(approval, context);
  }

  @EventPattern(ApprovalDecidedV2.type)
  async approvalDecidedV2(@Payload() approval: ApprovalDecidedV2, @Ctx() context: InboxContext) {
    await this.decided(approval, context);
  }

  private async decided(approval: ApprovalDecidedV1 | ApprovalDecidedV2, context: InboxContext) {
    await this.assign.approvalDecided(context.manager, storedApproval(approval), approval.outcome, context.correlationId);
  }
}

export function storedApproval(approval: ApprovalDecidedV1 | ApprovalDecidedV2): StoredApproval {
  const v2 = approval as ApprovalDecidedV2;
  return {
    approvalId: approval.approvalId,
    version: approval.version,
    uscc: approval.uscc,
    entityName: approval.entityName,
    itemCode: approval.itemCode,
    regionCode: approval.regionCode,
    approverDepartment: approval.approverDepartment,
    kind: approval.kind,
    decidedAt: approval.decidedAt,
    ...(v2.delegation
      ? { delegation: { fromRegionCode: v2.delegation.fromRegionCode, fromDepartment: v2.delegation.fromDepartment } }
      : {}),
    ...(v2.entrustment
      ? { entrustment: { entrustingDepartment: v2.entrustment.entrustingDepartment, agreement: v2.entrustment.agreement } }
      : {}),
  };
}
