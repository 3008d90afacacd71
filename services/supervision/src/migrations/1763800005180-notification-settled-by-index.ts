import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A granted licence settles the double notifications waiting for its entity and item: one statement per
 * batch of decided approvals (`RecordLicenceService`). Without an index on the entity and item it read
 * every notification ever recorded; this one holds only those still waiting (ADR 0082).
 */
export class NotificationSettledByIndex1763800005180 implements MigrationInterface {
  name = 'NotificationSettledByIndex1763800005180';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX entity_notification_unlicensed ON entity_notification (uscc, item_code) WHERE licensed_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX entity_notification_unlicensed`);
  }
}
