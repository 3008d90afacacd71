import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TaskReturnedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { ForbiddenError, NotFoundError } from '@backbone/platform';
import { routeApproval } from '../../catalog/route-approval';
import { AssignTaskService } from '../assign-task/assign-task.service';
import { SupervisionTask } from '../supervision-task.entity';
import { assertTransition } from '../task-transitions';
import { SupervisionError } from '../../supervision.errors';

/**
 * A department that is not responsible returns a task with its reason (TaskReturnedV1). It is re-routed
 * at once when the catalog now names another department that has not returned it; otherwise it stays
 * returned, in sight (GET /tasks?status=returned, reconciliation), until an operator assigns it by hand
 * or a catalog amendment routes it.
 */
@Injectable()
export class ReturnTaskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly assign: AssignTaskService,
  ) {}

  returnTask(taskId: string, department: string, reason: string): Promise<SupervisionTask> {
    return this.dataSource.transaction(async (manager) => {
      const task = await manager.findOne(SupervisionTask, { where: { id: taskId }, lock: { mode: 'pessimistic_write' } });
      if (!task) throw new NotFoundError('task', taskId);
      if (task.assignedDepartment !== department) {
        throw new ForbiddenError(
          SupervisionError.NOT_ASSIGNED_DEPARTMENT,
          `task ${taskId} is assigned to ${task.assignedDepartment}, not to ${department}`,
        );
      }
      assertTransition(task.id, task.status, 'returned');
      const now = new Date();
      task.status = 'returned';
      task.returns = [...task.returns, { department, reason, returnedAt: now.toISOString() }];
      task.updatedAt = now;
      await manager.save(task);
      await this.outbox.add(manager, TaskReturnedV1, {
        subject: task.uscc,
        correlationId: task.correlationId,
        data: { taskId: task.id, approvalId: task.approvalId, uscc: task.uscc, department, reason, returnedAt: now.toISOString() },
      });
      const decision = routeApproval(this.assign.approvalOfTask(task), await this.assign.entriesFor(manager, task.itemCode));
      if (decision.routed && !task.returns.some((r) => r.department === decision.department)) {
        return this.assign.reassign(manager, task, { department: decision.department, decision, by: 'routing' });
      }
      return task;
    });
  }
}
