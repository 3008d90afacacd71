import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxMessageView } from './outbox-bytes.migration';

/** Where a row's first line feed is (1-based; 0 in a row of the old form): `f.lf` below. */
const LINE_FEED_AT = `position('\\x0a'::bytea IN o.more_messages)`;
/** The followers' columns (a JSON array) in a row of the new form. */
const NEW_FORM_COLUMNS = `convert_from(substring(o.more_messages FROM 1 FOR f.lf - 1), 'UTF8')::json`;
/** A follower's value in a row of the new form, from its columns `m.message`. */
const NEW_FORM_VALUE = `substring(o.more_messages FROM f.lf + 1 + (m.message ->> 'value_at')::int FOR (m.message ->> 'value_bytes')::int)`;

/**
 * `more_messages` holds its messages' columns as JSON, a line feed, then their values' bytes (ADR 0109),
 * where it held the JSON text of an `OutboxFollower[]` with each value escaped into a JSON string. The
 * table does not change. `outbox_message` reads both forms: a row written before (or by a replica not yet
 * upgraded) has no line feed. Down writes rows of the new form in the old one, then restores the view
 * of ADR 0092.
 */
export class OutboxFollowerValuesAsBytes1763800005280 implements MigrationInterface {
  name = 'OutboxFollowerValuesAsBytes1763800005280';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW outbox_message`);
    await db.query(
      outboxMessageView(
        `(SELECT ${LINE_FEED_AT} AS lf) f
         CROSS JOIN LATERAL json_array_elements(CASE WHEN f.lf = 0 THEN convert_from(o.more_messages, 'UTF8')::json ELSE ${NEW_FORM_COLUMNS} END)`,
        `(m.message -> 'headers')::jsonb`,
        `CASE WHEN f.lf = 0 THEN convert_to(m.message ->> 'value', 'UTF8') ELSE ${NEW_FORM_VALUE} END`,
      ),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    // jsonb's text has no line feed between elements (json_agg's has), so the old form stays without one.
    await db.query(`
      UPDATE outbox o
         SET more_messages = convert_to((
               SELECT jsonb_agg(jsonb_build_object(
                        'event_id', m.message ->> 'event_id', 'event_type', m.message ->> 'event_type', 'topic', m.message ->> 'topic',
                        'message_key', m.message ->> 'message_key', 'value', convert_from(${NEW_FORM_VALUE}, 'UTF8'),
                        'headers', m.message -> 'headers', 'correlation_id', m.message ->> 'correlation_id') ORDER BY m.position)::text
                 FROM json_array_elements(${NEW_FORM_COLUMNS}) WITH ORDINALITY AS m(message, position)), 'UTF8')
        FROM (SELECT o.id, ${LINE_FEED_AT} AS lf FROM outbox o WHERE o.more_messages IS NOT NULL) f
       WHERE o.id = f.id AND f.lf > 0`);
    await db.query(`DROP VIEW outbox_message`);
    await db.query(
      outboxMessageView(`json_array_elements(convert_from(o.more_messages, 'UTF8')::json)`, `(m.message -> 'headers')::jsonb`),
    );
  }
}
