import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reconciliation runs every minute (ADR 0086). Its count of approvals in the vacuum read the whole of
 * `unrouted_approval`, routed ones included; `unrouted_approval_open` holds only those still waiting.
 * Its aggregates over 30 days of `approval_seen` fetched every row of the period from the table for its
 * id and outcome; `approval_seen_decided_covering` carries them, so those reads are index-only scans.
 * It replaces `approval_seen_decided` (the same key, so whatever read that one reads this one), so that
 * recording an approval, once per decided approval on the loop's path, still writes one entry for its
 * decision time, not two.
 */
export class ReconciliationByIndex1763800005220 implements MigrationInterface {
  name = 'ReconciliationByIndex1763800005220';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX unrouted_approval_open ON unrouted_approval (recorded_at, approval_id) WHERE routed_at IS NULL`);
    await db.query(`CREATE INDEX approval_seen_decided_covering ON approval_seen (decided_at) INCLUDE (approval_id, outcome)`);
    await db.query(`DROP INDEX approval_seen_decided`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX approval_seen_decided ON approval_seen (decided_at)`);
    await db.query(`DROP INDEX approval_seen_decided_covering`);
    await db.query(`DROP INDEX unrouted_approval_open`);
  }
}
