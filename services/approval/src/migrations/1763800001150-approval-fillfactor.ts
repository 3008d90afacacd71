import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #12 (ADR 0031): an approval row is written once and then updated in place by its task's
 * assignment and claim, about 200 ms later, when its page is already full: 90 % of those updates went
 * to another page and wrote an entry in each of the table's five indexes. No index covers a column the
 * feedback moves, so with room left in the page the update is HOT (heap-only, no index entry). Every
 * row of a page is updated about once, soon after the page filled: 30 % free made 45 % of the updates
 * HOT in the bench, so pages written from now on keep half their room free (the heap takes twice the
 * pages; the indexes, which the HOT updates no longer grow, do not). Existing pages keep theirs.
 */
export class ApprovalFillfactor1763800001150 implements MigrationInterface {
  name = 'ApprovalFillfactor1763800001150';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE approval SET (fillfactor = 50)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE approval RESET (fillfactor)`);
  }
}
