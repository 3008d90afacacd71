import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TaskClaimedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError, ForbiddenError, NotFoundError } from '@backbone/platform';
import { SupervisionTask } from '../supervision-task.entity';
import { assertTransition } from '../task-transitions';
import { SupervisionError } from '../../supervision.errors';

/**
 * The assigned department acknowledges a task, naming its handler; the claim goes back to the
 * approver (双反馈). Only the assigned department may claim, and only once.
 */
@Injectable()
export class ClaimTaskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  claim(taskId: string, department: string, handler: string): Promise<SupervisionTask> {
    return this.dataSource.transaction(async (manager) => {
      const task = await manager.findOne(SupervisionTask, { where: { id: taskId }, lock: { mode: 'pessimistic_write' } });
      if (!task) throw new NotFoundError('task', taskId);
      if (task.assignedDepartment !== department) {
        throw new ForbiddenError(
          SupervisionError.NOT_ASSIGNED_DEPARTMENT,
          `task ${taskId} is assigned to ${task.assignedDepartment}, not to ${department}`,
        );
      }
      if (task.status === 'claimed') {
        throw new DomainError(
          SupervisionError.TASK_ALREADY_CLAIMED,
          `task ${taskId} was claimed by ${task.claimedHandler} at ${task.claimedAt?.toISOString()}`,
          409,
        );
      }
      return this.applyClaim(manager, task, handler, new Date());
    });
  }

  /** Marks the task claimed and emits the claim, inside the caller's transaction. */
  async applyClaim(manager: EntityManager, task: SupervisionTask, handler: string, at: Date): Promise<SupervisionTask> {
    assertTransition(task.id, task.status, 'claimed');
    task.status = 'claimed';
    task.claimedHandler = handler;
    task.claimedAt = at;
    task.updatedAt = at;
    await manager.save(task);
    await this.outbox.add(manager, TaskClaimedV1, {
      subject: task.uscc,
      correlationId: task.correlationId,
      data: {
        taskId: task.id,
        approvalId: task.approvalId,
        uscc: task.uscc,
        department: task.assignedDepartment,
        handler,
        claimedAt: at.toISOString(),
      },
    });
    return task;
  }
}
