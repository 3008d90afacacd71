/**
 * An outbox row's further messages (`more_messages`, ADR 0031) as the bytes the service writes (ADR 0092),
 * laid out as ADR 0109 has it:
 *
 *   the JSON text of their columns (`OutboxFollowerColumns[]`), a line feed (0x0A), their values' bytes
 *
 * Each value (an envelope's JSON text) is where its columns say, counted from the byte after the line feed.
 * JSON text as `JSON.stringify` writes it has no line feed (a line feed in a string is escaped), so the
 * first one ends the columns. The values are written as they are: not escaped into a JSON string by the
 * writer, not unescaped and encoded again by the relay, which sends each as a slice of the row's bytes.
 *
 * Rows written before ADR 0109 hold the JSON text of an `OutboxFollower[]`, each value a JSON string, and
 * no line feed. `readFollowers` reads both, and so does the view `outbox_message` (migration
 * OutboxFollowerValuesAsBytes1763800005280).
 */
import type { OutboxFollower } from './messaging.entities';
import type { OutboxEnvelopeRow } from './outbox';

/** A message's outbox columns other than its value, as the writers send them in JSON. */
export interface OutboxMessageColumns {
  event_id: string;
  event_type: string;
  topic: string;
  message_key: string;
  headers: Record<string, string>;
  correlation_id: string;
}

/** A further message's columns, and where its value is among the values after the line feed. */
export interface OutboxFollowerColumns extends OutboxMessageColumns {
  /** Byte offset of the value, from the first byte after the line feed; its length in bytes. */
  value_at: number;
  value_bytes: number;
}

/** A further message as the relay sends it: a Kafka message (key, value, headers) and its topic. */
export interface FollowerMessage {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** What `followersText` needs of a message: its outbox columns (an outbox row without its envelope). */
export type FollowerRow = Omit<OutboxEnvelopeRow<object>, 'envelope'>;

const LINE_FEED = 0x0a;

/**
 * The text of `more_messages` for these messages, `values[i]` being the value of `rows[i]`: their columns'
 * JSON, a line feed, then the values one after another (UTF-8 when written as bytes). `lengths`: the
 * values' UTF-8 byte lengths, when the caller has counted them already.
 */
export function followersText(
  rows: FollowerRow[],
  values: string[],
  lengths: number[] = values.map((value) => Buffer.byteLength(value, 'utf8')),
): string {
  let at = 0;
  const columns: OutboxFollowerColumns[] = rows.map((row, i) => {
    const bytes = lengths[i];
    const column: OutboxFollowerColumns = {
      event_id: row.eventId,
      event_type: row.eventType,
      topic: row.topic,
      message_key: row.key,
      headers: row.headers,
      correlation_id: row.correlationId,
      value_at: at,
      value_bytes: bytes,
    };
    at += bytes;
    return column;
  });
  return `${JSON.stringify(columns)}\n${values.join('')}`;
}

/** The further messages in a row's `more_messages`, in order: each value a slice of `bytes` (ADR 0109), or of a row written before it. */
export function readFollowers(bytes: Buffer): FollowerMessage[] {
  const end = bytes.indexOf(LINE_FEED);
  if (end === -1) {
    const followers: OutboxFollower[] = JSON.parse(bytes.toString('utf8'));
    return followers.map((more) => ({ topic: more.topic, key: more.message_key, value: Buffer.from(more.value), headers: more.headers }));
  }
  const columns: OutboxFollowerColumns[] = JSON.parse(bytes.toString('utf8', 0, end));
  const values = end + 1;
  return columns.map((more) => {
    const at = values + more.value_at;
    if (at + more.value_bytes > bytes.length) {
      throw new Error(
        `outbox follower ${more.event_id}: its value (${more.value_bytes} bytes at ${more.value_at}) is beyond the row's bytes`,
      );
    }
    return { topic: more.topic, key: more.message_key, value: bytes.subarray(at, at + more.value_bytes), headers: more.headers };
  });
}
