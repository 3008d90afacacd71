import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The credit measures and the red list in the target pool (docs/domain.md §6): `higher_inspection_ratio`
 * draws the entity in stratum D; a red-listed entity inspected within RED_LIST_INSPECTION_INTERVAL_DAYS
 * is left out of pools of general items.
 */
export class CreditMeasuresRedList1763800005145 implements MigrationInterface {
  name = 'CreditMeasuresRedList1763800005145';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE target_entity ADD COLUMN credit_measures text[] NOT NULL DEFAULT '{}', ADD COLUMN red_list boolean NOT NULL DEFAULT false`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE target_entity DROP COLUMN credit_measures, DROP COLUMN red_list`);
  }
}
