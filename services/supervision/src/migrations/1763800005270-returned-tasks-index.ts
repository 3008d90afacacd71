import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `supervision_task_status` (status, claim_deadline) took an entry from every task, for one reader:
 * `lockReturned`, the returned tasks of an item that a catalog change may route again (ADR 0105). The
 * other statements that filter on status name a department, an entity or an approval, whose indexes
 * they read, or count all tasks; raising a risk warning over regions or items (an operator's act, rare)
 * reads the open tasks by a scan of the table. `supervision_task_returned` holds only the returned
 * tasks, by item: a task assigned, claimed or closed writes no entry in it.
 *
 * Built and dropped CONCURRENTLY, outside a transaction: the table has a row per approval ever decided,
 * and every decided event inserts into it. A build that failed leaves an invalid index, dropped first
 * when the migration runs again.
 */
export class ReturnedTasksIndex1763800005270 implements MigrationInterface {
  name = 'ReturnedTasksIndex1763800005270';
  transaction = false;

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS supervision_task_returned`);
    await db.query(`CREATE INDEX CONCURRENTLY supervision_task_returned ON supervision_task (item_code) WHERE status = 'returned'`);
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS supervision_task_status`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS supervision_task_status`);
    await db.query(`CREATE INDEX CONCURRENTLY supervision_task_status ON supervision_task (status, claim_deadline)`);
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS supervision_task_returned`);
  }
}
