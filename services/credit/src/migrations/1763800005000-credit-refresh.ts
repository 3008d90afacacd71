import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stored standing keeps itself current: `next_review_at` says when time alone may change it (a
 * counted fact leaves the look-back period, a fact dated in the future takes effect), and the refresh
 * scheduler recomputes records whose time has come. Existing records are due at once, so the first
 * refresh computes it for them. Case closures and licence status changes join the record as facts.
 */
export class CreditRefresh1763800005000 implements MigrationInterface {
  name = 'CreditRefresh1763800005000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE credit_record ADD COLUMN next_review_at timestamptz`);
    await db.query(`UPDATE credit_record SET next_review_at = now()`);
    await db.query(`CREATE INDEX credit_record_next_review ON credit_record (next_review_at, uscc) WHERE next_review_at IS NOT NULL`);
    await db.query(`ALTER TABLE credit_entry DROP CONSTRAINT credit_entry_kind_check`);
    await db.query(`
      ALTER TABLE credit_entry ADD CONSTRAINT credit_entry_kind_check
        CHECK (kind IN ('penalty', 'inspection', 'commitment', 'case_closure', 'licence_status',
                        'list_entry', 'list_exit', 'repair', 'correction'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM credit_entry WHERE kind IN ('case_closure', 'licence_status')`);
    await db.query(`ALTER TABLE credit_entry DROP CONSTRAINT credit_entry_kind_check`);
    await db.query(`
      ALTER TABLE credit_entry ADD CONSTRAINT credit_entry_kind_check
        CHECK (kind IN ('penalty', 'inspection', 'commitment', 'list_entry', 'list_exit', 'repair', 'correction'))`);
    await db.query(`DROP INDEX credit_record_next_review`);
    await db.query(`ALTER TABLE credit_record DROP COLUMN next_review_at`);
  }
}
