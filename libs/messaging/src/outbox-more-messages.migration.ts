import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An outbox row may carry several messages (ADR 0031): `more_messages` holds the ones after the row's
 * own, in order, each with its event id, type, topic, key, envelope text, headers and correlation id;
 * null for a row of one message (every row written before). `outbox_message` shows one row per
 * message, for whatever counts or looks up messages rather than rows (the backlog metrics, tests).
 */
export class OutboxMoreMessages1763800001160 implements MigrationInterface {
  name = 'OutboxMoreMessages1763800001160';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox ADD COLUMN more_messages jsonb`);
    await db.query(`
      CREATE VIEW outbox_message AS
        SELECT o.id, 0 AS position, o.event_id, o.event_type, o.topic, o.message_key, o.value, o.headers, o.correlation_id,
               o.created_at, o.sent_at
          FROM outbox o
        UNION ALL
        SELECT o.id, m.position::int, m.message ->> 'event_id', m.message ->> 'event_type', m.message ->> 'topic',
               m.message ->> 'message_key', convert_to(m.message ->> 'value', 'UTF8'), m.message -> 'headers',
               m.message ->> 'correlation_id', o.created_at, o.sent_at
          FROM outbox o CROSS JOIN LATERAL jsonb_array_elements(o.more_messages) WITH ORDINALITY AS m(message, position)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW outbox_message`);
    await db.query(`ALTER TABLE outbox DROP COLUMN more_messages`);
  }
}
