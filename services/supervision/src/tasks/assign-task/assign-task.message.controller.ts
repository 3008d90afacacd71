import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApprovalDecidedV1, ApprovalDecidedV2 } from '@backbone/contracts';
import { InboxBatch, InboxBatchPattern, InboxItem } from '@backbone/messaging';
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

  /** Both versions, the hot path of the loop: a chunk's consecutive decisions in a few statements (ADR 0027). */
  @InboxBatchPattern(ApprovalDecidedV1.type, ApprovalDecidedV2.type)
  async approvalsDecided(@Payload() items: InboxItem<ApprovalDecidedV1 | ApprovalDecidedV2>[], @Ctx() batch: InboxBatch) {
    await this.assign.approvalsDecided(
      batch.manager,
      items.map(({ payload, context }) => ({
        approval: storedApproval(payload),
        outcome: payload.outcome,
        correlationId: context.correlationId,
        eventId: context.envelope.id,
      })),
    );
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
