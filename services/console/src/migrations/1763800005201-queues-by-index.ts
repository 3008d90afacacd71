import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lists the work bench refreshes every 10 s for each department that has it open (ADR 0082's item 2;
 * ADR 0084), each in the order it is shown, so a page is the first rows of its index:
 * - claimed tasks and escalated tasks, by claim deadline: a task stays claimed, and stays escalated, for
 *   good, so without these each refresh sorted every such task ever; one index for all departments (the
 *   operators' view) and one that starts with the department (every other department's view);
 * - the supervision vacuum not routed yet, oldest first: it walked the index of every vacuum approval
 *   through those routed since;
 * - the risk warnings not lifted, by their end: it read every warning ever raised.
 */
export class QueuesByIndex1763800005201 implements MigrationInterface {
  name = 'QueuesByIndex1763800005201';

  async up(db: QueryRunner): Promise<void> {
    const claimed = `current AND status = 'claimed'`;
    const escalated = `current AND escalated_at IS NOT NULL`;
    await db.query(`CREATE INDEX task_assignment_claimed ON task_assignment (claim_deadline, task_id) WHERE ${claimed}`);
    await db.query(
      `CREATE INDEX task_assignment_claimed_department ON task_assignment (department, claim_deadline, task_id) WHERE ${claimed}`,
    );
    await db.query(`CREATE INDEX task_assignment_escalated ON task_assignment (claim_deadline, task_id) WHERE ${escalated}`);
    await db.query(
      `CREATE INDEX task_assignment_escalated_department ON task_assignment (department, claim_deadline, task_id) WHERE ${escalated}`,
    );
    await db.query(`CREATE INDEX vacuum_approval_waiting ON vacuum_approval (unrouted_at, approval_id) WHERE routed_at IS NULL`);
    await db.query(`CREATE INDEX risk_warning_notice_unlifted ON risk_warning_notice (ends_at) WHERE ended_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX risk_warning_notice_unlifted, vacuum_approval_waiting`);
    await db.query(
      `DROP INDEX task_assignment_escalated_department, task_assignment_escalated, task_assignment_claimed_department, task_assignment_claimed`,
    );
  }
}
