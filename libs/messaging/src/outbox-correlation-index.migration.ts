import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox's index on correlation_id holds only the rows kept after they were sent (ADR 0105).
 *
 * No service reads the outbox by correlation id: the trail (`loop_event`) and the console answer "what
 * happened to this loop". Yet every event written paid an entry in the index, and the relay's delete of
 * the acknowledged row left a dead one for vacuum, in a random place of the tree (correlation ids are
 * UUIDs). Rows are deleted once Kafka acknowledged them unless `OUTBOX_RETENTION_HOURS` keeps them; then
 * an auditor may look for what was published for a loop (`WHERE correlation_id = … AND sent_at IS NOT
 * NULL`), which the partial index still serves. With the default, no row ever enters it.
 *
 * Built and dropped CONCURRENTLY, outside a transaction: with retention on, the outbox may be large, and
 * every write of the service goes through it. A build that failed leaves an invalid index, dropped first
 * when the migration runs again.
 */
export class OutboxCorrelationIndexOfSentRows1763800005260 implements MigrationInterface {
  name = 'OutboxCorrelationIndexOfSentRows1763800005260';
  transaction = false;

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS outbox_sent_correlation`);
    await db.query(`CREATE INDEX CONCURRENTLY outbox_sent_correlation ON outbox (correlation_id) WHERE sent_at IS NOT NULL`);
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS outbox_correlation`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS outbox_correlation`);
    await db.query(`CREATE INDEX CONCURRENTLY outbox_correlation ON outbox (correlation_id)`);
    await db.query(`DROP INDEX CONCURRENTLY IF EXISTS outbox_sent_correlation`);
  }
}
