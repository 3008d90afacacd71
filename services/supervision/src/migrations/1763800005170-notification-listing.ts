import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue #10: a licensing department lists its double notifications, newest first, keyset-paginated. */
export class NotificationListing1763800005170 implements MigrationInterface {
  name = 'NotificationListing1763800005170';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX entity_notification_department ON entity_notification (licensing_department, notified_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX entity_notification_department`);
  }
}
