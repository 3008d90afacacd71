import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { workingDayDeadline } from '@backbone/platform';
import { CommitmentVerification } from '../commitments/commitment-verification.entity';
import { SupervisionConfig } from '../supervision.config';
import { Reassignment, StoredApproval, SupervisionTask, TaskRoute } from './supervision-task.entity';
import { TaskRepository } from './task.repository';

/**
 * What comes with every assignment of a task, whoever assigns it (routing, a return, a change of the
 * approval, a catalog change, an operator): the task is stored and TaskAssignedV1 published; a
 * commitment-based approval gets its verification scheduled; a department configured to claim
 * automatically (AUTO_CLAIM_DEPARTMENTS) claims at once. Works in the caller's transaction.
 */
@Injectable()
export class TaskLifecycle {
  private readonly autoClaim: Set<string>;

  constructor(
    private readonly tasks: TaskRepository,
    @Inject(SupervisionConfig) config: SupervisionConfig,
  ) {
    this.autoClaim = new Set(config.AUTO_CLAIM_DEPARTMENTS.split(',').filter(Boolean));
  }

  /** A routed approval becomes a task (see SupervisionTask.open). */
  async open(
    manager: EntityManager,
    approval: StoredApproval,
    route: TaskRoute,
    correlationId: string,
    from: Date,
  ): Promise<SupervisionTask> {
    const now = new Date();
    const task = SupervisionTask.open(approval, route, correlationId, from, now);
    await this.tasks.insert(manager, task);
    if (approval.kind === 'commitment') await this.scheduleVerification(manager, task, route.entry.verificationDeadlineDays, from);
    await this.claimIfAutomatic(manager, task, now);
    return task;
  }

  /** The task moves to another department (see SupervisionTask.reassign). */
  async reassign(manager: EntityManager, task: SupervisionTask, to: Reassignment): Promise<SupervisionTask> {
    const now = new Date();
    task.reassign(to, now);
    await this.tasks.save(manager, task);
    await this.claimIfAutomatic(manager, task, now);
    return task;
  }

  /** A commitment-based approval is verified afterwards, by the supervising department, within working days. Once per approval. */
  async scheduleVerification(manager: EntityManager, task: SupervisionTask, workingDays: number, from: Date): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(CommitmentVerification)
      .values({
        id: randomUUID(),
        approvalId: task.approvalId,
        taskId: task.id,
        correlationId: task.correlationId,
        uscc: task.uscc,
        itemCode: task.itemCode,
        dueAt: workingDayDeadline(from, workingDays),
      })
      .orIgnore()
      .execute();
  }

  private async claimIfAutomatic(manager: EntityManager, task: SupervisionTask, at: Date): Promise<void> {
    if (!this.autoClaim.has(task.assignedDepartment)) return;
    task.claim('auto-claim', at);
    await this.tasks.save(manager, task);
  }
}
