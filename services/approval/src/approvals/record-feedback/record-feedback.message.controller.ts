import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { In } from 'typeorm';
import {
  ApprovalUnroutedV1,
  CommitmentVerifiedV1,
  InspectionRecordedV2,
  PenaltyDecidedV1,
  TaskAssignedV1,
  TaskClaimedV1,
  TaskClaimReminderV1,
  TaskClosedV1,
  TaskEscalatedV1,
  TaskReturnedV1,
  TaskUpdatedV1,
} from '@backbone/contracts';
import { InboxBatch, InboxBatchPattern, InboxContext, InboxItem } from '@backbone/messaging';
import { LicenceLifecycle } from '../../licences/licence-lifecycle.service';
import { Approval, ApprovalFeedback, FeedbackKind, LicenceStatus } from '../approval.entity';
import { lockApproval, writeApproval } from '../approval-rows';
import { nextSupervisionStatus } from '../supervision-status';
import { recordTaskFeedback, TaskFeedback } from './record-task-feedback';

/**
 * The return path of the double push (双回路 / 双反馈): what supervision and enforcement did with an
 * approval comes back here and is applied to it, each event once. The supervision status moves only
 * through its table (supervision-status.ts). Licence actions go through the
 * licence transition table; one that the table forbids (a suspension of a licence already revoked)
 * is recorded as not applied and skipped, never dead-lettered: the event is a fact, only its effect is moot.
 */
@Controller()
export class RecordFeedbackMessageController {
  constructor(private readonly licences: LicenceLifecycle) {}

  /**
   * Assignments and claims, the hot path of the loop: a chunk's consecutive ones in a few statements (ADR 0027).
   * Their record is the trail row the inbox keeps of each (ADR 0031); the other kinds below write a feedback row.
   */
  @InboxBatchPattern(TaskAssignedV1.type, TaskClaimedV1.type)
  async taskAssignedOrClaimed(@Payload() items: InboxItem<TaskAssignedV1 | TaskClaimedV1>[], @Ctx() batch: InboxBatch) {
    await recordTaskFeedback(batch.manager, items.map(taskFeedback));
  }

  @EventPattern(ApprovalUnroutedV1.type)
  async unrouted(@Payload() event: ApprovalUnroutedV1, @Ctx() context: InboxContext) {
    const approval = await lockApproval(context.manager, event.approvalId);
    approval.supervisionStatus = nextSupervisionStatus(approval.supervisionStatus, 'unrouted');
    await writeApproval(context.manager, approval);
    await recordFeedback(context, approval.id, 'unrouted', { ...event });
  }

  /** A department not responsible sent the task back (before re-routing): the approver sees why. */
  @EventPattern(TaskReturnedV1.type)
  async taskReturned(@Payload() event: TaskReturnedV1, @Ctx() context: InboxContext) {
    const approval = await lockApproval(context.manager, event.approvalId);
    approval.supervisionStatus = nextSupervisionStatus(approval.supervisionStatus, 'returned');
    approval.returnedReason = `${event.department}: ${event.reason}`;
    await writeApproval(context.manager, approval);
    await recordFeedback(context, approval.id, 'task_returned', { ...event });
  }

  /** The task followed a change of the approval; the supervising department may have moved. */
  @EventPattern(TaskUpdatedV1.type)
  async taskUpdated(@Payload() event: TaskUpdatedV1, @Ctx() context: InboxContext) {
    const approval = await lockApproval(context.manager, event.approvalId);
    approval.supervisingDepartment = event.assignedDepartment;
    approval.taskId = event.taskId;
    await writeApproval(context.manager, approval);
    await recordFeedback(context, approval.id, 'task_updated', { ...event });
  }

  @EventPattern(TaskClaimReminderV1.type)
  async claimReminder(@Payload() event: TaskClaimReminderV1, @Ctx() context: InboxContext) {
    const approval = await lockApproval(context.manager, event.approvalId);
    // The reminder's own time (carried since it existed); an older reminder: when it was published.
    approval.claimRemindedAt = new Date(event.remindedAt ?? context.envelope.time);
    approval.claimDeadline = new Date(event.claimDeadline);
    await writeApproval(context.manager, approval);
    await recordFeedback(context, approval.id, 'task_claim_reminder', { ...event });
  }

  /** Unclaimed past the deadline: escalated, and the approver sees it (supervision.escalation). */
  @EventPattern(TaskEscalatedV1.type)
  async taskEscalated(@Payload() event: TaskEscalatedV1, @Ctx() context: InboxContext) {
    const approval = await lockApproval(context.manager, event.approvalId);
    approval.supervisionStatus = nextSupervisionStatus(approval.supervisionStatus, 'escalated');
    approval.escalatedAt = new Date(event.escalatedAt);
    approval.claimDeadline = new Date(event.claimDeadline);
    await writeApproval(context.manager, approval);
    await recordFeedback(context, approval.id, 'task_escalated', { ...event });
  }

  @EventPattern(TaskClosedV1.type)
  async taskClosed(@Payload() event: TaskClosedV1, @Ctx() context: InboxContext) {
    const approval = await lockApproval(context.manager, event.approvalId);
    approval.supervisionStatus = nextSupervisionStatus(approval.supervisionStatus, 'closed');
    approval.closedReason = `${event.department}: ${event.reason}`;
    await writeApproval(context.manager, approval);
    await recordFeedback(context, approval.id, 'task_closed', { ...event });
  }

  /** A penalty comes back to the approver; a licence action in it moves the licence (through the table). */
  @EventPattern(PenaltyDecidedV1.type)
  async penaltyDecided(@Payload() event: PenaltyDecidedV1, @Ctx() context: InboxContext) {
    const approvals = event.approvalId
      ? [await lockApproval(context.manager, event.approvalId)]
      : await context.manager.find(Approval, {
          where: { uscc: event.uscc, licenceStatus: In<LicenceStatus>(['active', 'suspended']) },
          order: { createdAt: 'ASC' },
          lock: { mode: 'pessimistic_write' },
        });
    const action = event.licenceAction;
    const cause = { eventId: context.envelope.id, eventType: context.envelope.type };
    for (const approval of approvals) {
      const reason = `penalty decision ${event.decisionNumber} by ${event.department}: ${action?.reason ?? ''}`.trim();
      if (action?.action === 'suspend') {
        await this.licences.transition(context.manager, approval, {
          to: 'suspended',
          until: action.until ? new Date(action.until) : null,
          reason,
          cause,
          onIllegal: 'record',
        });
      } else if (action?.action === 'revoke') {
        await this.licences.transition(context.manager, approval, { to: 'revoked', reason, cause, onIllegal: 'record' });
      } else if (action?.action === 'rectify') {
        // Order to rectify by a deadline: recorded, the licence's state does not change.
        approval.rectificationDeadline = action.until ? new Date(action.until) : null;
        approval.rectificationReason = reason;
        await writeApproval(context.manager, approval);
      }
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

  /**
   * An inspection result (ad hoc or random, contract v2) about a licence this service issued comes back
   * to its approver (双回路). Results about no approval of ours carry no approvalId and are not ours.
   */
  @EventPattern(InspectionRecordedV2.type)
  async inspectionRecorded(@Payload() event: InspectionRecordedV2, @Ctx() context: InboxContext) {
    if (!event.approvalId) return;
    const approval = await context.manager.findOne(Approval, { where: { id: event.approvalId }, lock: { mode: 'pessimistic_write' } });
    if (!approval) return; // another region's approval: nothing of ours to annotate
    await recordFeedback(context, approval.id, 'inspection_recorded', {
      inspectionId: event.inspectionId,
      programme: event.programme,
      ...(event.taskReference ? { taskReference: event.taskReference } : {}),
      department: event.department,
      category: event.category,
      result: event.result,
      violations: event.violations.map(({ code, description }) => ({ code, description })),
      itemCodes: [...event.itemCodes],
      inspectedAt: event.inspectedAt,
    });
  }

  /** A commitment verified afterwards: a breach revokes the licence (告知承诺 not kept). */
  @EventPattern(CommitmentVerifiedV1.type)
  async commitmentVerified(@Payload() event: CommitmentVerifiedV1, @Ctx() context: InboxContext) {
    const approval = await lockApproval(context.manager, event.approvalId);
    if (event.outcome === 'breached') {
      await this.licences.transition(context.manager, approval, {
        to: 'revoked',
        reason: `commitment breached: verification ${event.verificationId} by ${event.department} on ${event.verifiedAt}: ${event.findings}`,
        cause: { eventId: context.envelope.id, eventType: context.envelope.type },
        onIllegal: 'record',
      });
    }
    await recordFeedback(context, approval.id, 'commitment_verified', { ...event });
  }
}

/** A module function, not a callback made per call: it keeps its optimized code (ADR 0118). */
function taskFeedback({ payload, context }: InboxItem<TaskAssignedV1 | TaskClaimedV1>): TaskFeedback {
  return context.envelope.type === TaskAssignedV1.type
    ? { kind: 'task_assigned', event: payload as TaskAssignedV1 }
    : { kind: 'task_claimed', event: payload as TaskClaimedV1 };
}

async function recordFeedback(context: InboxContext, approvalId: string, kind: FeedbackKind, detail: Record<string, unknown>) {
  await context.manager.save(context.manager.create(ApprovalFeedback, { approvalId, kind, eventId: context.envelope.id, detail }));
}
