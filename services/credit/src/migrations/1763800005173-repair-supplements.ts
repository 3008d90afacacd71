import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Evidence added to a pending repair application (by the entity itself or the filing department), kept in order. */
export class RepairSupplements1763800005173 implements MigrationInterface {
  name = 'RepairSupplements1763800005173';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE credit_repair ADD COLUMN supplements jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE credit_repair DROP COLUMN supplements`);
  }
}
