import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The work queue (GET /tasks) and the vacuum list (GET /unrouted-approvals) page by keyset on a unique
 * sort key: newest task first per supervising or approving department, oldest unrouted approval first.
 * Each page is then one index range scan, however deep.
 */
export class WorkQueueIndexes1763800003100 implements MigrationInterface {
  name = 'WorkQueueIndexes1763800003100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX supervision_task_created ON supervision_task (created_at, id)`);
    await db.query(`CREATE INDEX supervision_task_assigned_created ON supervision_task (assigned_department, created_at, id)`);
    await db.query(`CREATE INDEX supervision_task_approver_created ON supervision_task (approver_department, created_at, id)`);
    await db.query(`CREATE INDEX unrouted_approval_recorded ON unrouted_approval (recorded_at, approval_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `DROP INDEX unrouted_approval_recorded, supervision_task_approver_created, supervision_task_assigned_created, supervision_task_created`,
    );
  }
}
