import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import { ApprovalUnroutedV1, PenaltyDecidedV1, TaskAssignedV1, TaskClaimedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { NotFoundError } from '@backbone/platform';
import { Approval, ApprovalFeedback, FeedbackKind } from '../approval.entity';

/**
 * The return path of the double push (双回路 / 双反馈): what supervision and enforcement did with an
 * approval comes back here and is applied to it, each event once.
 */
@Controller()
export class RecordFeedbackMessageController {
  @EventPattern(TaskAssignedV1.type)
  async taskAssigned(@Payload() event: TaskAssignedV1, @Ctx() context: InboxContext) {
    const approval = await lockApproval(context.manager, event.approvalId);
    if (approval.supervisionStatus === 'awaiting_assignment' || approval.supervisionStatus === 'unrouted') {
      approval.supervisionStatus = 'assigned';
    }
    approval.supervisingDepartment = event.assignedDepartment;
    approval.taskId = event.taskId;
    await context.manager.save(approval);
    await recordFeedback(context, approval.id, 'task_assigned', { ...event });
  }

  @EventPattern(TaskClaimedV1.type)
  async taskClaimed(@Payload() event: TaskClaimedV1, @Ctx() context: InboxContext) {
    const approval = await lockApproval(context.manager, event.approvalId);
    approval.supervisionStatus = 'claimed';
    approval.supervisingDepartment = event.department;
    approval.taskId = event.taskId;
    approval.claimedAt = new Date(event.claimedAt);
    await context.manager.save(approval);
    await recordFeedback(context, approval.id, 'task_claimed', { ...event });
  }

  @EventPattern(ApprovalUnroutedV1.type)
  async unrouted(@Payload() event: ApprovalUnroutedV1, @Ctx() context: InboxContext) {
    const approval = await lockApproval(context.manager, event.approvalId);
    if (approval.supervisionStatus === 'awaiting_assignment') approval.supervisionStatus = 'unrouted';
    await context.manager.save(approval);
    await recordFeedback(context, approval.id, 'unrouted', { ...event });
  }

  /** A penalty comes back to the approver; a licence action in it changes the licence. */
  @EventPattern(PenaltyDecidedV1.type)
  async penaltyDecided(@Payload() event: PenaltyDecidedV1, @Ctx() context: InboxContext) {
    const approvals = event.approvalId
      ? [await lockApproval(context.manager, event.approvalId)]
      : await context.manager.find(Approval, { where: { uscc: event.uscc, licenceStatus: 'active' }, lock: { mode: 'pessimistic_write' } });
    for (const approval of approvals) {
      const action = event.licenceAction;
      if (action?.action === 'suspend' && approval.licenceStatus === 'active') {
        approval.licenceStatus = 'suspended';
        approval.suspendedUntil = action.until ? new Date(action.until) : null;
      } else if (action?.action === 'revoke' && approval.licenceStatus !== 'none') {
        approval.licenceStatus = 'revoked';
        approval.suspendedUntil = null;
      }
      await context.manager.save(approval);
      await recordFeedback(context, approval.id, 'penalty_decided', {
        caseId: event.caseId,
        decisionId: event.decisionId,
        decisionNumber: event.decisionNumber,
        department: event.department,
        penalties: event.penalties.map((penalty) => ({ ...penalty })),
        licenceAction: action ? { ...action } : null,
        decidedAt: event.decidedAt,
      });
    }
  }
}

async function lockApproval(manager: EntityManager, id: string): Promise<Approval> {
  const approval = await manager.findOne(Approval, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!approval) throw new NotFoundError('approval', id);
  return approval;
}

async function recordFeedback(context: InboxContext, approvalId: string, kind: FeedbackKind, detail: Record<string, unknown>) {
  await context.manager.save(context.manager.create(ApprovalFeedback, { approvalId, kind, eventId: context.envelope.id, detail }));
}
