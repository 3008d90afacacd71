import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ApprovalChangedV1 } from '@backbone/contracts';
import { ApprovalRouting } from '../../routing/approval-routing.service';
import { StoredApproval, UnroutedApproval } from '../supervision-task.entity';
import { TaskLifecycle } from '../task-lifecycle.service';
import { EventOrigin, TaskRepository } from '../task.repository';

/**
 * An approval was amended, renewed, cancelled or converted: the existing task follows it, never a second
 * one. A cancellation that is not still supervised closes the task (TaskClosedV1); anything else updates it
 * (TaskUpdatedV1), re-routing it when the rule that now applies (cancelled but still supervised, filing,
 * commitment → industry authority) names another department. An approval still in the vacuum is kept
 * there as it now stands. Works in the caller's (the inbox handler's) transaction; the task's closing or
 * update continues the loop of the change (`origin`).
 */
@Injectable()
export class UpdateTaskService {
  private readonly logger = new Logger(UpdateTaskService.name);

  constructor(
    private readonly tasks: TaskRepository,
    private readonly routing: ApprovalRouting,
    private readonly lifecycle: TaskLifecycle,
  ) {}

  async approvalChanged(manager: EntityManager, change: ApprovalChangedV1, origin: EventOrigin): Promise<void> {
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
    const task = await this.tasks.lockByApproval(manager, change.approvalId);
    if (!task) {
      await this.keepInVacuum(manager, change, approval, closes);
      return;
    }
    if (change.version <= task.approvalVersion || task.status === 'closed') return;
    const now = new Date();
    task.followApproval(change.version, approval.kind, now);

    if (closes) {
      task.close(`approval cancelled: ${change.reason}`, now);
      await this.tasks.save(manager, task, origin);
      return;
    }

    // The change carries the approval as it stands; delegation and entrustment stay those of the decision.
    const { delegation, entrustment } = task.approval();
    const decision = await this.routing.route(manager, { ...approval, delegation, entrustment });
    let note = `${change.change}: ${change.reason}`;
    if (decision.routed && decision.department !== task.assignedDepartment && task.canBeReassigned()) {
      note += ` (now supervised by ${decision.department} under rule ${decision.basis}, was ${task.assignedDepartment})`;
      await this.lifecycle.reassign(manager, task, { department: decision.department, route: decision, by: 'routing' });
    } else {
      if (decision.routed) task.routingBasis = decision.basis;
      await this.tasks.save(manager, task);
    }
    if (approval.kind === 'commitment' && decision.routed) {
      await this.lifecycle.scheduleVerification(manager, task, decision.entry.verificationDeadlineDays, now);
    }
    task.recordUpdate(note, now);
    await this.tasks.publish(manager, task, origin);
  }

  /** Still in the vacuum: keep the approval as it now stands (or take it out when nothing is left to supervise). */
  private async keepInVacuum(manager: EntityManager, change: ApprovalChangedV1, approval: StoredApproval, closes: boolean): Promise<void> {
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
  }
}
