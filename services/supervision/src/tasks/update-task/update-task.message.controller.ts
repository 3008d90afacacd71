import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ApprovalChangedV1, TaskClosedV1, TaskUpdatedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { routeApproval } from '../../catalog/route-approval';
import { AssignTaskService } from '../assign-task/assign-task.service';
import { StoredApproval, SupervisionTask, UnroutedApproval } from '../supervision-task.entity';
import { assertTransition, canTransition } from '../task-transitions';

/**
 * An approval was amended, renewed, cancelled or converted: the existing task follows it, never a second
 * one. A cancellation that is not still supervised closes the task (TaskClosedV1); anything else updates it
 * (TaskUpdatedV1), re-routing it when the rule that now applies (cancelled but still supervised, filing,
 * commitment → industry authority) names another department.
 */
@Controller()
export class UpdateTaskMessageController {
  private readonly logger = new Logger(UpdateTaskMessageController.name);

  constructor(private readonly assign: AssignTaskService) {}

  @EventPattern(ApprovalChangedV1.type)
  async approvalChanged(@Payload() change: ApprovalChangedV1, @Ctx() context: InboxContext) {
    const { manager } = context;
    const approval: StoredApproval = {
      approvalId: change.approvalId,
      version: change.version,
      uscc: change.uscc,
      entityName: change.entityName,
      itemCode: change.itemCode,
      regionCode: change.regionCode,
      approverDepartment: change.approverDepartment,
      kind: change.change === 'converted_to_filing' ? 'filing' : change.change === 'converted_to_commitment' ? 'commitment' : change.kind,
      decidedAt: change.changedAt,
      ...(change.change === 'cancelled' && change.stillSupervised ? { cancelledStillSupervised: true } : {}),
    };
    const closes = change.change === 'cancelled' && !change.stillSupervised;
    const task = await manager.findOne(SupervisionTask, { where: { approvalId: change.approvalId }, lock: { mode: 'pessimistic_write' } });
    if (!task) {
      // Still in the vacuum: keep the approval as it now stands (or take it out when nothing is left to supervise).
      const vacuum = await manager.findOne(UnroutedApproval, {
        where: { approvalId: change.approvalId },
        lock: { mode: 'pessimistic_write' },
      });
      if (vacuum && !vacuum.routedAt) {
        if (closes) {
          vacuum.routedAt = new Date();
          vacuum.reason = `${vacuum.reason}; approval cancelled and no longer supervised`;
        }
        vacuum.approval = approval;
        await manager.save(vacuum);
      } else {
        this.logger.warn({ approvalId: change.approvalId, change: change.change }, 'change of an approval supervision never saw decided');
      }
      return;
    }
    if (change.version <= task.approvalVersion || task.status === 'closed') return;
    const now = new Date();
    task.approvalVersion = change.version;
    task.approvalKind = approval.kind;
    task.updatedAt = now;

    if (closes) {
      assertTransition(task.id, task.status, 'closed');
      task.status = 'closed';
      task.closedAt = now;
      task.closeReason = `approval cancelled: ${change.reason}`;
      await manager.save(task);
      await context.emit(TaskClosedV1, {
        subject: task.uscc,
        data: {
          taskId: task.id,
          approvalId: task.approvalId,
          uscc: task.uscc,
          department: task.assignedDepartment,
          reason: task.closeReason,
          closedAt: now.toISOString(),
        },
      });
      return;
    }

    // The change carries the approval as it stands; delegation and entrustment stay those of the decision.
    const { delegation, entrustment } = this.assign.approvalOfTask(task);
    const decision = routeApproval({ ...approval, delegation, entrustment }, await this.assign.entriesFor(manager, change.itemCode));
    let note = `${change.change}: ${change.reason}`;
    if (decision.routed && decision.department !== task.assignedDepartment && canTransition(task.status, 'assigned')) {
      note += ` (now supervised by ${decision.department} under rule ${decision.basis}, was ${task.assignedDepartment})`;
      await this.assign.reassign(manager, task, { department: decision.department, decision, by: 'routing' });
    } else {
      if (decision.routed) task.routingBasis = decision.basis;
      await manager.save(task);
    }
    if (approval.kind === 'commitment' && decision.routed) {
      await this.assign.scheduleVerification(manager, task, decision.entry.verificationDeadlineDays, now);
    }
    await context.emit(TaskUpdatedV1, {
      subject: task.uscc,
      data: {
        taskId: task.id,
        approvalId: task.approvalId,
        uscc: task.uscc,
        approvalVersion: task.approvalVersion,
        assignedDepartment: task.assignedDepartment,
        change: note.slice(0, 500),
        updatedAt: now.toISOString(),
      },
    });
  }
}
