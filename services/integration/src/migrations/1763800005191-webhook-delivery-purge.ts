import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivered and dead-lettered webhook deliveries were kept for ever. The dispatcher's leader now purges
 * them once past WEBHOOK_DELIVERED_RETENTION_HOURS and WEBHOOK_DEAD_RETENTION_HOURS, oldest first and a
 * batch at a time; these indexes find each batch without reading the rows still kept (ADR 0083).
 */
export class WebhookDeliveryPurge1763800005191 implements MigrationInterface {
  name = 'WebhookDeliveryPurge1763800005191';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX webhook_delivery_delivered_at ON webhook_delivery (delivered_at) WHERE status = 'delivered'`);
    await db.query(`CREATE INDEX webhook_delivery_dead_at ON webhook_delivery (dead_at) WHERE status = 'dead'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX webhook_delivery_dead_at`);
    await db.query(`DROP INDEX webhook_delivery_delivered_at`);
  }
}
