import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The red list (守信激励) as last published per entity (docs/domain.md §6, ADR 0072). */
export class RedList1763800005140 implements MigrationInterface {
  name = 'RedList1763800005140';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE credit_record ADD COLUMN red_list boolean NOT NULL DEFAULT false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE credit_record DROP COLUMN red_list`);
  }
}
