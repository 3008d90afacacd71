import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The supervision vacuum carries its approval's approving department (ADR 0045), so the overview counts
 * the vacuum per department, and filters it by department, from `vacuum_approval` alone: the join with
 * `approval_fact` it replaces read all 100,000 approvals of the bench to count 3,000 vacuum rows.
 * The projection keeps it in step: an unrouted approval takes it from `approval_fact`, and an approval
 * that arrives after its unrouted event writes it (both under the approval's advisory lock).
 */
export class VacuumApproverDepartment1763800003400 implements MigrationInterface {
  name = 'VacuumApproverDepartment1763800003400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE vacuum_approval ADD COLUMN approver_department text`);
    await db.query(
      `UPDATE vacuum_approval v SET approver_department = f.approver_department FROM approval_fact f WHERE f.approval_id = v.approval_id`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE vacuum_approval DROP COLUMN approver_department`);
  }
}
