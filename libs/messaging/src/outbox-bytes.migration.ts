import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox keeps a row's further messages as the bytes the service wrote (`more_messages` bytea: the
 * JSON text of the followers, ADR 0092) instead of jsonb, which PostgreSQL parsed at every insert and
 * wrote back out at every relay read; and its rows stay whole up to 8 kB (`toast_tuple_target`): a row
 * of a task's two messages (~2.4 kB) was compressed at every insert for a life of milliseconds.
 * `outbox_message` reads the followers from the bytes.
 */
export class OutboxMessagesAsBytes1763800005240 implements MigrationInterface {
  name = 'OutboxMessagesAsBytes1763800005240';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW outbox_message`);
    await db.query(`ALTER TABLE outbox ALTER COLUMN more_messages TYPE bytea USING convert_to(more_messages::text, 'UTF8')`);
    await db.query(`ALTER TABLE outbox SET (toast_tuple_target = 8160)`);
    await db.query(
      outboxMessageView(`json_array_elements(convert_from(o.more_messages, 'UTF8')::json)`, `(m.message -> 'headers')::jsonb`),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW outbox_message`);
    await db.query(`ALTER TABLE outbox RESET (toast_tuple_target)`);
    await db.query(`ALTER TABLE outbox ALTER COLUMN more_messages TYPE jsonb USING convert_from(more_messages, 'UTF8')::jsonb`);
    await db.query(outboxMessageView(`jsonb_array_elements(o.more_messages)`, `m.message -> 'headers'`));
  }
}

/**
 * `outbox_message`: one row per message, a row's own at position 0, then its followers in order, each
 * follower `m.message` (its JSON) of the lateral `followers`, its value `value`. This migration's form
 * (and ADR 0092's); OutboxFollowerValuesAsBytes1763800005280 passes its own `followers` and `value` to read
 * the later form too.
 */
export function outboxMessageView(followers: string, headers: string, value = `convert_to(m.message ->> 'value', 'UTF8')`): string {
  return `
    CREATE VIEW outbox_message AS
      SELECT o.id, 0 AS position, o.event_id, o.event_type, o.topic, o.message_key, o.value, o.headers, o.correlation_id,
             o.created_at, o.sent_at
        FROM outbox o
      UNION ALL
      SELECT o.id, m.position::int, m.message ->> 'event_id', m.message ->> 'event_type', m.message ->> 'topic',
             m.message ->> 'message_key', ${value}, ${headers},
             m.message ->> 'correlation_id', o.created_at, o.sent_at
        FROM outbox o CROSS JOIN LATERAL ${followers} WITH ORDINALITY AS m(message, position)`;
}
