import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@backbone/platform';
import { ApprovalRouting } from '../../routing/approval-routing.service';
import { SupervisionTask } from '../supervision-task.entity';
import { TaskLifecycle } from '../task-lifecycle.service';
import { TaskRepository } from '../task.repository';

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
    private readonly tasks: TaskRepository,
    private readonly routing: ApprovalRouting,
    private readonly lifecycle: TaskLifecycle,
  ) {}

  returnTask(taskId: string, department: string, reason: string): Promise<SupervisionTask> {
    return this.dataSource.transaction(async (manager) => {
      const task = await this.tasks.lock(manager, taskId);
      if (!task) throw new NotFoundError('task', taskId);
      task.returnBy(department, reason, new Date());
      await this.tasks.save(manager, task);
      const decision = await this.routing.route(manager, task.approval());
      if (decision.routed && !task.returnedBy(decision.department)) {
        return this.lifecycle.reassign(manager, task, { department: decision.department, route: decision, by: 'routing' });
      }
      return task;
    });
  }
}
