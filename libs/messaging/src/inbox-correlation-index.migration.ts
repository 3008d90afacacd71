import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's index on correlation_id is dropped (ADR 0031): no query of any service reads the inbox by
 * correlation id (the trail and the console's read model answer that), and every consumed event paid an
 * entry in it, in the hottest insert of every consumer. The inbox keeps its primary key (the dedup
 * record) and the processed_at index that retention purges by.
 */
export class InboxCorrelationIndexDropped1763800001151 implements MigrationInterface {
  name = 'InboxCorrelationIndexDropped1763800001151';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX inbox_correlation`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX inbox_correlation ON inbox (correlation_id)`);
  }
}
