import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The licence sweep (every 60 s on each replica) looks for suspensions that ended and validities that
 * ended. Nothing indexed those columns, so each sweep walked the approval table, the system's biggest,
 * in id order. One partial index per kind of end, each holding only the licences that can still reach
 * it (ADR 0085):
 * - `approval_suspension_end`: suspended licences by their end; a new approval is never suspended, so
 *   inserts do not touch it;
 * - `approval_validity_end`: active or suspended licences with a validity, by its end. A new granted
 *   licence with a validity is active, so it costs one entry per such insert; one that expired, was
 *   revoked or cancelled leaves it.
 * No column that the task feedback updates is indexed or in a predicate, so those updates stay HOT
 * (ADR 0031).
 */
export class LicenceSweepByIndex1763800005210 implements MigrationInterface {
  name = 'LicenceSweepByIndex1763800005210';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX approval_suspension_end ON approval (suspended_until) WHERE licence_status = 'suspended'`);
    await db.query(`
      CREATE INDEX approval_validity_end ON approval (valid_until)
        WHERE licence_status IN ('active', 'suspended') AND valid_until IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX approval_validity_end`);
    await db.query(`DROP INDEX approval_suspension_end`);
  }
}
