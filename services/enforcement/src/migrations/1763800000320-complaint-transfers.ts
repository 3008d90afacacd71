import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Complaints are transferred to the competent department (投诉举报转办): each hand-over is kept. */
export class ComplaintTransfers1763800000320 implements MigrationInterface {
  name = 'ComplaintTransfers1763800000320';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE complaint ADD COLUMN transfers jsonb NOT NULL DEFAULT '[]'`);
    await db.query(`CREATE INDEX complaint_department_status ON complaint (department, status)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX complaint_department_status`);
    await db.query(`ALTER TABLE complaint DROP COLUMN transfers`);
  }
}
