import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The red list (守信激励) as the approver keeps it from credit, and the fast track it gives (docs/domain.md §6). */
export class RedList1763800005146 implements MigrationInterface {
  name = 'RedList1763800005146';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE red_list_standing (
        uscc text PRIMARY KEY,
        on_red_list boolean NOT NULL,
        incentives jsonb NOT NULL,
        effective_at timestamptz NOT NULL
      )`);
    await db.query(`ALTER TABLE approval ADD COLUMN fast_track boolean NOT NULL DEFAULT false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE approval DROP COLUMN fast_track`);
    await db.query(`DROP TABLE red_list_standing`);
  }
}
