import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertKnownDepartment, assertOperator, NotFoundError } from '@backbone/platform';
import { SupervisionConfig } from '../../supervision.config';
import { AssignTaskService } from '../assign-task/assign-task.service';
import { SupervisionTask } from '../supervision-task.entity';
import type { HandAssignTaskRequest } from './hand-assign-task.request.dto';

/** An operator assigns a task by hand (a returned task no entry routes elsewhere): TaskAssignedV1 again. */
@Injectable()
export class HandAssignTaskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly assign: AssignTaskService,
    @Inject(SupervisionConfig) private readonly config: SupervisionConfig,
  ) {}

  assignByHand(taskId: string, caller: string, request: HandAssignTaskRequest): Promise<SupervisionTask> {
    assertOperator(this.config, caller, 'assign a task by hand');
    assertKnownDepartment(this.config, request.department, 'department');
    return this.dataSource.transaction(async (manager) => {
      const task = await manager.findOne(SupervisionTask, { where: { id: taskId }, lock: { mode: 'pessimistic_write' } });
      if (!task) throw new NotFoundError('task', taskId);
      return this.assign.reassign(manager, task, {
        department: request.department,
        by: caller,
        note: request.reason,
        ...(request.claimDeadlineDays ? { claimDeadlineDays: request.claimDeadlineDays } : {}),
      });
    });
  }
}
