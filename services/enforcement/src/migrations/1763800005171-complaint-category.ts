import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Work orders of the 12345 hotline posted at the integration intake are registered as complaints:
 * their category (what the matter is about) is kept, and a complaint is found by its ticket number.
 */
export class ComplaintCategory1763800005171 implements MigrationInterface {
  name = 'ComplaintCategory1763800005171';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE complaint ADD COLUMN category text CONSTRAINT complaint_category_check
        CHECK (category IN ('food_safety', 'product_quality', 'pricing', 'unlicensed_operation', 'environment', 'other'))`);
    await db.query(`CREATE INDEX complaint_external_ref ON complaint (external_ref) WHERE external_ref IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX complaint_external_ref`);
    await db.query(`ALTER TABLE complaint DROP COLUMN category`);
  }
}
