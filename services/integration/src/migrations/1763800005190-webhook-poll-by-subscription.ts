import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook dispatcher's poll (every WEBHOOK_POLL_MS when idle) reads the pending deliveries of each
 * active subscription in id order. The only index of pending rows led with the subject, so the poll
 * walked the primary key through every delivered row, and through the pending rows of disabled
 * subscriptions too. This one holds the pending rows only, per subscription in order (ADR 0083).
 */
export class WebhookPollBySubscription1763800005190 implements MigrationInterface {
  name = 'WebhookPollBySubscription1763800005190';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX webhook_delivery_pending_by_subscription ON webhook_delivery (subscription_id, id) WHERE status = 'pending'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX webhook_delivery_pending_by_subscription`);
  }
}
