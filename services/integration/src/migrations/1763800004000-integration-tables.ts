import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IntegrationTables1763800004000 implements MigrationInterface {
  name = 'IntegrationTables1763800004000';

  async up(db: QueryRunner): Promise<void> {
    // Every event accepted at the CloudEvents intake, keyed like CloudEvents deduplicate: source + id.
    await db.query(`
      CREATE TABLE intake_event (
        source text NOT NULL,
        ce_id text NOT NULL,
        type text NOT NULL,
        department text NOT NULL,
        subject text NOT NULL,
        content_hash text NOT NULL,
        event_id uuid NOT NULL UNIQUE,
        correlation_id text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source, ce_id)
      )`);
    await db.query(`
      CREATE TABLE webhook_subscription (
        id uuid PRIMARY KEY,
        department text NOT NULL,
        url text NOT NULL,
        secret text NOT NULL,
        event_types text[] NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      )`);
    await db.query(`CREATE INDEX webhook_subscription_department ON webhook_subscription (department)`);
    // One row per (subscription, event): the delivery outbox. Pending rows are sent per subscription and
    // entity (subject) in id order; a row is marked delivered only after the receiver answered 2xx.
    await db.query(`
      CREATE TABLE webhook_delivery (
        id bigserial PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscription (id),
        event_id text NOT NULL,
        event_type text NOT NULL,
        subject text NOT NULL,
        payload text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        last_status int,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        dead_at timestamptz,
        UNIQUE (subscription_id, event_id)
      )`);
    await db.query(`CREATE INDEX webhook_delivery_pending ON webhook_delivery (subscription_id, subject, id) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX webhook_delivery_by_subscription ON webhook_delivery (subscription_id, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_delivery`);
    await db.query(`DROP TABLE webhook_subscription`);
    await db.query(`DROP TABLE intake_event`);
  }
}
