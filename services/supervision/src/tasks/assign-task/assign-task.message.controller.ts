import { randomUUID } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ApprovalDecidedV1, ApprovalUnroutedV1, TaskAssignedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { Metrics } from '@backbone/platform';
import { workingDayDeadline } from '../../calendar/working-days';
import { CatalogEntry } from '../../catalog/catalog-entry.entity';
import { routeApproval } from '../../catalog/route-approval';
import { SupervisionConfig } from '../../supervision.config';
import { ClaimTaskService } from '../claim-task/claim-task.service';
import { SupervisionTask, UnroutedApproval } from '../supervision-task.entity';

/**
 * The first leg of the double push: a granted approval is routed through the catalog to the
 * department that must supervise it, with a claim deadline in working days. An approval that no entry
 * covers is recorded as a supervision vacuum and announced, never dropped.
 */
@Controller()
export class AssignTaskMessageController {
  private readonly autoClaim: Set<string>;
  private readonly unroutedCounter;

  constructor(
    private readonly claims: ClaimTaskService,
    @Inject(SupervisionConfig) config: SupervisionConfig,
    metrics: Metrics,
  ) {
    this.autoClaim = new Set(config.AUTO_CLAIM_DEPARTMENTS.split(',').filter(Boolean));
    this.unroutedCounter = metrics.counter('supervision_unrouted_approvals_total', 'Approvals no catalog entry covers (supervision vacuum)', ['item_code']);
  }

  @EventPattern(ApprovalDecidedV1.type)
  async approvalDecided(@Payload() approval: ApprovalDecidedV1, @Ctx() context: InboxContext) {
    if (approval.outcome !== 'granted') return;
    const { manager } = context;
    const existing = await manager.findOneBy(SupervisionTask, { approvalId: approval.approvalId });
    if (existing) return;

    const entries = await manager.find(CatalogEntry, { where: { itemCode: approval.itemCode } });
    const decision = routeApproval(approval, entries);
    if (!decision.routed) {
      await manager.upsert(
        UnroutedApproval,
        {
          approvalId: approval.approvalId,
          correlationId: context.correlationId,
          uscc: approval.uscc,
          itemCode: approval.itemCode,
          regionCode: approval.regionCode,
          approverDepartment: approval.approverDepartment,
          reason: decision.reason,
        },
        ['approvalId'],
      );
      this.unroutedCounter.inc({ item_code: approval.itemCode });
      await context.emit(ApprovalUnroutedV1, {
        subject: approval.uscc,
        data: { approvalId: approval.approvalId, uscc: approval.uscc, itemCode: approval.itemCode, regionCode: approval.regionCode, reason: decision.reason },
      });
      return;
    }

    const task = manager.create(SupervisionTask, {
      id: randomUUID(),
      approvalId: approval.approvalId,
      approvalVersion: approval.version,
      correlationId: context.correlationId,
      uscc: approval.uscc,
      itemCode: approval.itemCode,
      regionCode: approval.regionCode,
      approverDepartment: approval.approverDepartment,
      assignedDepartment: decision.department,
      routingRule: decision.rule,
      catalogEntryId: decision.entry.id,
      catalogVersion: decision.entry.version,
      status: 'assigned',
      claimDeadline: workingDayDeadline(new Date(approval.decidedAt), decision.entry.claimDeadlineDays),
      claimedHandler: null,
      claimedAt: null,
    });
    await manager.insert(SupervisionTask, task);
    await context.emit(TaskAssignedV1, {
      subject: task.uscc,
      data: {
        taskId: task.id,
        approvalId: task.approvalId,
        uscc: task.uscc,
        itemCode: task.itemCode,
        assignedDepartment: task.assignedDepartment,
        routingRule: task.routingRule,
        claimDeadline: task.claimDeadline.toISOString(),
      },
    });
    if (this.autoClaim.has(task.assignedDepartment)) {
      await this.claims.applyClaim(manager, task, 'auto-claim', new Date());
    }
  }
}
