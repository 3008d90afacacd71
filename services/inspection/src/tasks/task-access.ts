import type { EntityManager } from 'typeorm';
import { NotFoundError } from '@backbone/platform';
import { inspectionError } from '../inspection.errors';
import { InspectionTask } from './inspection-task.entity';

/** Loads a task locked for update; only its lead department may move it. */
export async function lockTaskForLead(manager: EntityManager, taskId: string, department: string): Promise<InspectionTask> {
  const task = await manager.findOne(InspectionTask, { where: { id: taskId }, lock: { mode: 'pessimistic_write' } });
  if (!task) throw new NotFoundError('task', taskId);
  if (task.leadDepartment !== department) {
    throw inspectionError('NOT_OWNER_DEPARTMENT', `task ${taskId} is led by ${task.leadDepartment}, not by ${department}`);
  }
  return task;
}
