import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertKnownDepartment, assertOperator, NotFoundError } from '@backbone/platform';
import { SupervisionConfig } from '../../supervision.config';
import { SupervisionTask } from '../supervision-task.entity';
import { TaskLifecycle } from '../task-lifecycle.service';
import { TaskRepository } from '../task.repository';
import type { HandAssignTaskRequest } from './hand-assign-task.request.dto';

/** An operator assigns a task by hand (a returned task no entry routes elsewhere): TaskAssignedV1 again. */
@Injectable()
export class HandAssignTaskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tasks: TaskRepository,
    private readonly lifecycle: TaskLifecycle,
    @Inject(SupervisionConfig) private readonly config: SupervisionConfig,
  ) {}

  assignByHand(taskId: string, caller: string, request: HandAssignTaskRequest): Promise<SupervisionTask> {
    assertOperator(this.config, caller, 'assign a task by hand');
    assertKnownDepartment(this.config, request.department, 'department');
    return this.dataSource.transaction(async (manager) => {
      const task = await this.tasks.lock(manager, taskId);
      if (!task) throw new NotFoundError('task', taskId);
      return this.lifecycle.reassign(manager, task, {
        department: request.department,
        by: caller,
        note: request.reason,
        ...(request.claimDeadlineDays ? { claimDeadlineDays: request.claimDeadlineDays } : {}),
      });
    });
  }
}
