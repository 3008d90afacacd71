import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@backbone/platform';
import { SupervisionTask } from '../supervision-task.entity';
import { TaskRepository } from '../task.repository';

/**
 * The assigned department acknowledges a task, naming its handler; the claim goes back to the
 * approver (双反馈). Only the assigned department may claim, and only once (SupervisionTask.claimBy).
 */
@Injectable()
export class ClaimTaskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tasks: TaskRepository,
  ) {}

  claim(taskId: string, department: string, handler: string): Promise<SupervisionTask> {
    return this.dataSource.transaction(async (manager) => {
      const task = await this.tasks.lock(manager, taskId);
      if (!task) throw new NotFoundError('task', taskId);
      task.claimBy(department, handler, new Date());
      await this.tasks.save(manager, task);
      return task;
    });
  }
}
