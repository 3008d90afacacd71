import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { workingDayDeadline } from '@backbone/platform';
import { CommitmentVerification } from '../commitments/commitment-verification.entity';
import { ClaimRiskWarnings, ClaimTightening } from '../risk-warnings/claim-risk-warnings';
import { SupervisionConfig } from '../supervision.config';
import { openedTaskEventsValidByConstruction } from './opened-task-events';
import { Reassignment, StoredApproval, SupervisionTask, TaskRoute } from './supervision-task.entity';
import { EventOrigin, TaskRepository } from './task.repository';

/**
 * A routed approval to open a task for; `origin`: the event that caused it (a batch gives it for each);
 * `approvalValidated`: the approval is a decided event's that the inbox validated, so the task's opening
 * events need no validation when `openedTaskEventsValidByConstruction` holds (ADR 0036).
 */
export interface OpenTask {
  approval: StoredApproval;
  route: TaskRoute;
  correlationId: string;
  from: Date;
  origin?: EventOrigin;
  approvalValidated?: boolean;
}

/**
 * What comes with every assignment of a task, whoever assigns it (routing, a return, a change of the
 * approval, a catalog change, an operator): the task is stored and TaskAssignedV1 published; a
 * commitment-based approval gets its verification scheduled; a department configured to claim
 * automatically (AUTO_CLAIM_DEPARTMENTS) claims at once; an active risk warning covering the task
 * tightens its claim deadline and is recorded against it (docs/domain.md §8). Works in the caller's transaction.
 */
@Injectable()
export class TaskLifecycle {
  private readonly autoClaim: Set<string>;

  constructor(
    private readonly tasks: TaskRepository,
    @Inject(SupervisionConfig) config: SupervisionConfig,
    @Optional() private readonly warnings?: ClaimRiskWarnings,
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
    const [task] = await this.openMany(manager, [{ approval, route, correlationId, from }]);
    return task;
  }

  /**
   * Routed approvals become tasks, many at once with the same effects as one by one (ADR 0027): the
   * active risk warnings read once, the tasks and their events written in one statement each, the
   * verifications of commitment-based approvals in one. A department that claims automatically claims
   * before the row is first written (TaskAssignedV1, then TaskClaimedV1, as before).
   */
  async openMany(manager: EntityManager, requests: OpenTask[]): Promise<SupervisionTask[]> {
    if (requests.length === 0) return [];
    const now = new Date();
    const warnings = this.warnings
      ? await this.warnings.tighteningsFor(
          manager,
          requests.map(({ approval, route }) => ({
            target: { uscc: approval.uscc, regionCode: approval.regionCode, itemCode: approval.itemCode },
            normalDays: route.entry.claimDeadlineDays,
          })),
          now,
        )
      : requests.map(() => null);
    const tasks = requests.map(({ approval, route, correlationId, from }, index) => {
      const task = SupervisionTask.open(approval, route, correlationId, from, now, warnings[index] ?? undefined);
      if (this.autoClaim.has(task.assignedDepartment)) task.claim('auto-claim', now);
      return task;
    });
    await this.tasks.insertMany(
      manager,
      tasks.map((task, index) => ({
        task,
        origin: requests[index].origin,
        payloadChecked: requests[index].approvalValidated === true && openedTaskEventsValidByConstruction(task),
      })),
    );
    for (const [index, task] of tasks.entries()) {
      const warning = warnings[index];
      if (warning) await this.warnings?.recordApplied(manager, task, warning, now);
    }
    const verifications = requests.flatMap(({ approval, route, from }, index) =>
      approval.kind === 'commitment' ? [{ task: tasks[index], workingDays: route.entry.verificationDeadlineDays, from }] : [],
    );
    await this.scheduleVerifications(manager, verifications);
    return tasks;
  }

  /** The task moves to another department (see SupervisionTask.reassign). */
  async reassign(manager: EntityManager, task: SupervisionTask, to: Reassignment): Promise<SupervisionTask> {
    const now = new Date();
    const target = { uscc: task.uscc, regionCode: task.regionCode, itemCode: task.itemCode };
    const warning = await this.tighteningFor(manager, target, SupervisionTask.claimDaysOf(to), now);
    task.reassign({ ...to, warning }, now);
    await this.tasks.save(manager, task);
    if (warning) await this.warnings?.recordApplied(manager, task, warning, now);
    await this.claimIfAutomatic(manager, task, now);
    return task;
  }

  /** A commitment-based approval is verified afterwards, by the supervising department, within working days. Once per approval. */
  async scheduleVerification(manager: EntityManager, task: SupervisionTask, workingDays: number, from: Date): Promise<void> {
    await this.scheduleVerifications(manager, [{ task, workingDays, from }]);
  }

  /** `scheduleVerification` of several tasks, in one statement. */
  private async scheduleVerifications(
    manager: EntityManager,
    verifications: Array<{ task: SupervisionTask; workingDays: number; from: Date }>,
  ): Promise<void> {
    if (verifications.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(CommitmentVerification)
      .values(
        verifications.map(({ task, workingDays, from }) => ({
          id: randomUUID(),
          approvalId: task.approvalId,
          taskId: task.id,
          correlationId: task.correlationId,
          uscc: task.uscc,
          itemCode: task.itemCode,
          dueAt: workingDayDeadline(from, workingDays),
        })),
      )
      .orIgnore()
      .execute();
  }

  private async tighteningFor(
    manager: EntityManager,
    target: { uscc: string; regionCode: string; itemCode: string },
    normalDays: number,
    at: Date,
  ): Promise<ClaimTightening | undefined> {
    return (await this.warnings?.tighteningFor(manager, target, normalDays, at)) ?? undefined;
  }

  private async claimIfAutomatic(manager: EntityManager, task: SupervisionTask, at: Date): Promise<void> {
    if (!this.autoClaim.has(task.assignedDepartment)) return;
    task.claim('auto-claim', at);
    await this.tasks.save(manager, task);
  }
}
