import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DeadLetterKeyBytes1763800001000 } from './dead-letter-key-bytes.migration';
import { InboxCorrelationIndexDropped1763800001151 } from './inbox-correlation-index.migration';
import { OutboxCorrelationIndexOfSentRows1763800005260 } from './outbox-correlation-index.migration';
import { ConsumerMembers1763800001170, ConsumerMembersLeft1763800005250 } from './consumer-member';
import { OutboxMessagesAsBytes1763800005240 } from './outbox-bytes.migration';
import { OutboxFollowerValuesAsBytes1763800005280 } from './outbox-follower-values.migration';
import { OutboxMoreMessages1763800001160 } from './outbox-more-messages.migration';
import { OutboxNotify1763800001100 } from './outbox-notify.migration';

/** The outbox, inbox and dead-letter tables. */
export class MessagingTables1763800000000 implements MigrationInterface {
  name = 'MessagingTables1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        event_type text NOT NULL,
        topic text NOT NULL,
        message_key text NOT NULL,
        value bytea NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        correlation_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await db.query(`CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL`);
    await db.query(`CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL`);
    await db.query(`CREATE INDEX outbox_correlation ON outbox (correlation_id)`);
    await db.query(`
      CREATE TABLE inbox (
        event_id text PRIMARY KEY,
        event_type text NOT NULL,
        topic text NOT NULL,
        partition int NOT NULL,
        "offset" bigint NOT NULL,
        correlation_id text,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX inbox_processed_at ON inbox (processed_at)`);
    await db.query(`CREATE INDEX inbox_correlation ON inbox (correlation_id)`);
    await db.query(`
      CREATE TABLE dead_letter (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        partition int NOT NULL,
        "offset" bigint NOT NULL,
        message_key text,
        value bytea,
        event_id text,
        event_type text,
        reason text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('invalid', 'unknown-type', 'failed')),
        attempts int NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'redriven')),
        created_at timestamptz NOT NULL DEFAULT now(),
        redriven_at timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX dead_letter_source ON dead_letter (topic, partition, "offset")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE dead_letter`);
    await db.query(`DROP TABLE inbox`);
    await db.query(`DROP TABLE outbox`);
  }
}

/** The messaging lib's migrations, in order. Every service lists them first among its own. */
export const MESSAGING_MIGRATIONS = [
  MessagingTables1763800000000,
  DeadLetterKeyBytes1763800001000,
  OutboxNotify1763800001100,
  InboxCorrelationIndexDropped1763800001151,
  OutboxMoreMessages1763800001160,
  ConsumerMembers1763800001170,
  OutboxMessagesAsBytes1763800005240,
  ConsumerMembersLeft1763800005250,
  OutboxCorrelationIndexOfSentRows1763800005260,
  OutboxFollowerValuesAsBytes1763800005280,
];
