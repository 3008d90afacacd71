import type { Envelope } from '@backbone/contracts';

/** A Kafka message PostgreSQL cannot store as text as it stands. */
export interface UnstorablePayload {
  name: string;
  key: Buffer | null;
  value: Buffer;
}

/**
 * Every kind of message a text column refuses, built around one valid envelope (so that each is
 * wrong in exactly one way): a lone NUL byte, bytes that are not UTF-8, NUL escaped inside the
 * payload, the type and the id, a raw NUL inside JSON, NUL or non-UTF-8 bytes in the key, and
 * attributes over an index's size limit.
 */
export function unstorablePayloads(valid: Envelope<object>): UnstorablePayload[] {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const key = Buffer.from(valid.subject);
  const firstText = Object.keys(valid.data).find((field) => typeof (valid.data as Record<string, unknown>)[field] === 'string') ?? 'x';
  const text = JSON.stringify(valid);
  return [
    { name: 'a lone NUL byte', key: null, value: Buffer.from([0]) },
    { name: 'a lone NUL byte, keyed', key, value: Buffer.from([0]) },
    { name: 'bytes that are not UTF-8', key, value: Buffer.from([0xc3, 0x28, 0xff, 0xfe]) },
    {
      name: 'a valid envelope with a non-UTF-8 byte inside a string',
      key,
      value: Buffer.concat([
        Buffer.from(text.slice(0, text.indexOf(valid.id) + 1)),
        Buffer.from([0xff]),
        Buffer.from(text.slice(text.indexOf(valid.id) + 1)),
      ]),
    },
    {
      name: 'a raw NUL byte inside JSON',
      key,
      value: Buffer.from(text.replace(valid.id, `${valid.id.slice(0, 4)}\u0000${valid.id.slice(4)}`)),
    },
    { name: 'NUL escaped in a payload field', key, value: json({ ...valid, data: { ...valid.data, [firstText]: 'a\u0000b' } }) },
    { name: 'NUL escaped in a payload key', key, value: json({ ...valid, data: { ...valid.data, 'a\u0000b': 1 } }) },
    { name: 'NUL escaped in the event id', key, value: json({ ...valid, id: `${valid.id}\u0000` }) },
    { name: 'NUL escaped in the event type', key, value: json({ ...valid, type: `${valid.type}\u0000` }) },
    { name: 'NUL escaped in the correlation id', key, value: json({ ...valid, correlationid: `a\u0000b` }) },
    { name: 'an event id over the index size limit', key, value: json({ ...valid, id: 'x'.repeat(10_000) }) },
    { name: 'an event type over the index size limit', key, value: json({ ...valid, type: 'x'.repeat(10_000) }) },
    { name: 'a NUL byte in the key', key: Buffer.from([0x39, 0x00, 0x31]), value: json(valid) },
    { name: 'a key that is not UTF-8', key: Buffer.from([0xff, 0xfe, 0x00]), value: json(valid) },
  ];
}
