import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When a pending check is reminded (working days before its deadline), fixed at the draw. */
export class InspectionCheckReminders1763800002020 implements MigrationInterface {
  name = 'InspectionCheckReminders1763800002020';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE inspection_check ADD COLUMN remind_at timestamptz`);
    await db.query(`UPDATE inspection_check SET remind_at = deadline WHERE remind_at IS NULL`);
    await db.query(`ALTER TABLE inspection_check ALTER COLUMN remind_at SET NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE inspection_check DROP COLUMN remind_at`);
  }
}
