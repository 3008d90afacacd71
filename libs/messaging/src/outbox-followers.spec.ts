import type { OutboxFollower } from './messaging.entities';
import { type FollowerRow, followersText, readFollowers } from './outbox-followers';

/** `more_messages` as ADR 0109 lays it out, and as rows written before it hold it. */
const row = (id: string): FollowerRow => ({
  eventId: id,
  eventType: 'cn.gov.example.claimed.v1',
  topic: 'supervision.tasks',
  key: `key-${id}`,
  headers: { ce_id: id, 'content-type': 'application/cloudevents+json' },
  correlationId: 'c-1',
});
// Multi-byte text (an offset in characters instead of bytes cuts the next value wrongly), a line feed and a
// line separator inside a string (JSON.stringify escapes the first, not the second), quotes, a backslash.
const awkward = (id: string) => JSON.stringify({ id, data: { text: '苏州"引号"\\反斜杠\n换行\u2028😀𝌆', nul: '\u0000' } });

describe('more_messages (ADR 0109)', () => {
  it('is the columns as JSON, a line feed, then the values as they are, and reads back as the same messages', () => {
    const rows = [row('f-1'), row('f-2'), row('f-3')];
    const values = [awkward('f-1'), '{"id":"f-2"}', awkward('f-3')];
    const bytes = Buffer.from(followersText(rows, values), 'utf8');

    const lineFeed = bytes.indexOf(0x0a);
    expect(bytes.indexOf(0x0a, lineFeed + 1)).toBe(-1);
    expect(bytes.subarray(lineFeed + 1).toString('utf8')).toBe(values.join(''));
    expect(JSON.parse(bytes.toString('utf8', 0, lineFeed))).toEqual(
      rows.map((r, i) => ({
        event_id: r.eventId,
        event_type: r.eventType,
        topic: r.topic,
        message_key: r.key,
        headers: r.headers,
        correlation_id: r.correlationId,
        value_at: Buffer.byteLength(values.slice(0, i).join('')),
        value_bytes: Buffer.byteLength(values[i]),
      })),
    );

    const messages = readFollowers(bytes);
    expect(messages.map((m) => m.value.toString('utf8'))).toEqual(values);
    expect(messages.map(({ topic, key, headers }) => ({ topic, key, headers }))).toEqual(
      rows.map((r) => ({ topic: r.topic, key: r.key, headers: r.headers })),
    );
    // slices of the row's bytes, not copies
    for (const message of messages) expect(message.value.buffer).toBe(bytes.buffer);
  });

  it('reads a row written before ADR 0109: the JSON text of OutboxFollower[], each value a JSON string', () => {
    const followers: OutboxFollower[] = ['f-1', 'f-2'].map((id) => ({
      event_id: id,
      event_type: 'cn.gov.example.claimed.v1',
      topic: 'supervision.tasks',
      message_key: `key-${id}`,
      value: awkward(id),
      headers: { ce_id: id },
      correlation_id: 'c-1',
    }));
    expect(readFollowers(Buffer.from(JSON.stringify(followers), 'utf8'))).toEqual(
      followers.map((f) => ({ topic: f.topic, key: f.message_key, value: Buffer.from(f.value, 'utf8'), headers: f.headers })),
    );
  });

  it('refuses columns that point beyond the bytes (a row cut short) rather than send a truncated value', () => {
    const bytes = Buffer.from(followersText([row('f-1')], [awkward('f-1')]), 'utf8');
    expect(() => readFollowers(bytes.subarray(0, bytes.length - 1))).toThrow(/f-1: its value .* is beyond the row's bytes/);
  });
});
