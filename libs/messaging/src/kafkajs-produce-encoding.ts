/**
 * kafkajs 2.2.4 spends about 40 µs of CPU encoding each message it produces (ADR 0099): a record is built
 * from five encoders (the record's and one per header), each starting as a zero-filled 512-byte buffer
 * that grows by copying, every varint is written through a `Buffer.from` of a byte array, every varlong
 * through `Long` objects, and the batch is copied again at each of the five levels above it. The relay
 * produces one to three messages per loop, so that was about a twentieth of a loop's CPU, and an eighth
 * of supervision's in a backlog drain.
 *
 * The encoder below writes the same bytes (the Produce request's body, versions 3 to 7, uncompressed:
 * topics, partitions, record batches with their CRC-32C, records, headers) into one buffer of the exact
 * size, measured first, in about 8 µs a message; the CRC is computed natively (ADR 0106). The spec
 * compares it with kafkajs's own encoder byte for byte. Input it is not sure to encode as kafkajs would (compression, a key, value or header that is not
 * a string or Buffer, a timestamp delta beyond 2^51) returns `undefined`, and kafkajs's encoder runs as
 * before.
 *
 * `leanProduceEncoding()` wraps kafkajs's Produce request definition (`protocol`, which the broker looks
 * up at every produce), so it applies to every producer of the process, bundled or not, as the idle-timer
 * patch does (ADR 0079).
 */
import { crc32C } from './crc32c';
import { INSTALLED_KAFKAJS_VERSION, PATCHED_KAFKAJS_VERSION } from './kafkajs-idle-timer';

// kafkajs' protocol internals are not part of its typed API: the deep paths, with the parts used here.
/* eslint-disable @typescript-eslint/no-require-imports */
const KafkajsEncoder = require('kafkajs/src/protocol/encoder') as { prototype: object };
const Long = require('kafkajs/src/utils/long') as { fromValue(value: unknown): { getHighBits(): number; getLowBits(): number } };
export const KafkajsProduceRequests = require('kafkajs/src/protocol/requests/produce') as ProduceDefinition;
/* eslint-enable @typescript-eslint/no-require-imports */

/** What kafkajs's broker passes to a Produce request (its `produce`, through the version's builder). */
export interface ProduceRequestArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: unknown;
  producerEpoch?: number;
  compression?: number;
  topicData: Array<{
    topic: string;
    partitions: Array<{ partition: number; firstSequence?: number; messages: ProducedMessage[] }>;
  }>;
}

interface ProducedMessage {
  key?: unknown;
  value?: unknown;
  headers?: unknown;
  timestamp?: unknown;
}

/** A kafkajs Encoder as its request framing reads one: `buf` and `offset` (`buffer`, `size()` on its prototype). */
export interface EncodedRequest {
  buf: Buffer;
  offset: number;
  readonly buffer: Buffer;
  size(): number;
}

type RequestBuilder = (args: ProduceRequestArgs) => {
  request: { apiVersion: number; encode: () => Promise<EncodedRequest> };
  response: unknown;
};

interface ProduceDefinition {
  versions: string[];
  protocol: (options: { version: number }) => RequestBuilder;
}

/** kafkajs's `Types.None`: the only compression encoded here. */
const NO_COMPRESSION = 0;
/** The record batch attribute of a transactional batch. */
const TRANSACTIONAL = 16;
const MAGIC = 2;
/** Lengths and deltas whose zigzag varint this file writes exactly as kafkajs (its 32-bit and Long paths). */
const MAX_LENGTH = 2 ** 30 - 1;
const MAX_DELTA = 2 ** 51;

/** Marks the wrapped definition, so installing twice wraps once. */
const LEAN = Symbol('lean produce encoding');

/**
 * Encodes every uncompressed Produce request of the process (versions 3 to 7) with `encodeProduceRequest`.
 * True when installed (kafkajs is the version it is written for); another kafkajs is left as it is.
 */
export function leanProduceEncoding(): boolean {
  if (INSTALLED_KAFKAJS_VERSION !== PATCHED_KAFKAJS_VERSION) return false;
  const kafkajsProtocol = KafkajsProduceRequests.protocol;
  if (LEAN in kafkajsProtocol) return true;
  const protocol: ProduceDefinition['protocol'] = ({ version }) => {
    const build = kafkajsProtocol({ version });
    // Versions 0 to 2 carry message sets, not record batches; 4 to 7 are version 3's body with another number.
    if (version < 3) return build;
    return (args) => {
      const built = build(args);
      const kafkajsEncode = built.request.encode;
      built.request.encode = async () => encodeProduceRequest(args) ?? kafkajsEncode();
      return built;
    };
  };
  KafkajsProduceRequests.protocol = Object.assign(protocol, { [LEAN]: true });
  return true;
}

interface PlannedRecord {
  key: Buffer | string | null;
  value: Buffer | string | null;
  /** Header keys and values, alternating, flattened as kafkajs flattens an array value. */
  headers: Array<Buffer | string>;
  timestampDelta: number;
  bodyBytes: number;
}

interface PlannedPartition {
  partition: number;
  firstSequence: number;
  firstTimestamp: unknown;
  maxTimestamp: unknown;
  records: PlannedRecord[];
  batchBytes: number;
}

/**
 * The body of a Produce request (v3 to v7) as kafkajs 2.2.4 encodes it, or undefined when the input is
 * outside what this encodes (see the file's comment). Defaults as kafkajs's: no transactional id, producer
 * id -1, epoch 0, first sequence 0, a message without a timestamp stamped with the time of encoding.
 */
export function encodeProduceRequest(args: ProduceRequestArgs): EncodedRequest | undefined {
  const { acks, timeout, transactionalId = null, producerId = -1, producerEpoch = 0, compression = NO_COMPRESSION } = args;
  if (compression !== NO_COMPRESSION) return undefined;
  // One reading of the clock for the request (kafkajs reads it once per partition, a millisecond apart at most).
  const now = Date.now();
  let size = nullableStringBytes(transactionalId) + 2 + 4 + 4;
  const topics: Array<{ topic: string; partitions: PlannedPartition[] }> = [];
  for (const { topic, partitions } of args.topicData) {
    size += nullableStringBytes(topic) + 4;
    const planned: PlannedPartition[] = [];
    for (const { partition, firstSequence = 0, messages } of partitions) {
      const stamped = messages.map((message) => message.timestamp).filter((timestamp) => timestamp != null);
      // kafkajs sorts the timestamps with the default sort (as text) and takes the first and last.
      const timestamps = stamped.length === 0 ? [now] : stamped.sort();
      const firstTimestamp = timestamps[0];
      const maxTimestamp = timestamps[timestamps.length - 1];
      const records: PlannedRecord[] = [];
      let recordsBytes = 0;
      for (let index = 0; index < messages.length; index += 1) {
        const message = messages[index];
        const key = bytesOf(message.key);
        const value = bytesOf(message.value);
        const headers = headersOf(message.headers);
        // As kafkajs: `||`, so a timestamp of 0 counts as none; the subtraction coerces text timestamps.
        const timestampDelta = ((message.timestamp || now) as number) - (firstTimestamp as number);
        if (key === undefined || value === undefined || headers === undefined) return undefined;
        if (!Number.isSafeInteger(timestampDelta) || Math.abs(timestampDelta) > MAX_DELTA) return undefined;
        let bodyBytes = 1 + varintBytes(timestampDelta) + varintBytes(index) + varBytesBytes(key) + varBytesBytes(value);
        bodyBytes += varintBytes(headers.length / 2);
        for (const part of headers) bodyBytes += varBytesBytes(part);
        if (bodyBytes > MAX_LENGTH) return undefined;
        records.push({ key, value, headers, timestampDelta, bodyBytes });
        recordsBytes += varintBytes(bodyBytes) + bodyBytes;
      }
      // attributes, last offset delta, first and max timestamp, producer id, epoch, first sequence, count.
      const bodyBytes = 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4 + recordsBytes;
      // partition leader epoch, magic, CRC, then the body.
      const batchBytes = 4 + 1 + 4 + bodyBytes;
      if (batchBytes > MAX_LENGTH) return undefined;
      planned.push({ partition, firstSequence, firstTimestamp, maxTimestamp, records, batchBytes });
      // partition, the record set's size, then the record set: first offset, the batch's length, the batch.
      size += 4 + 4 + 8 + 4 + batchBytes;
    }
    topics.push({ topic, partitions: planned });
  }

  const writer = new Writer(Buffer.allocUnsafe(size));
  writer.nullableString(transactionalId);
  writer.int16(acks);
  writer.int32(timeout);
  writer.int32(topics.length);
  for (const { topic, partitions } of topics) {
    writer.nullableString(topic);
    writer.int32(partitions.length);
    for (const planned of partitions) {
      writer.int32(planned.partition);
      writer.int32(8 + 4 + planned.batchBytes);
      writer.int64(0); // first offset
      writer.int32(planned.batchBytes);
      writer.int32(0); // partition leader epoch
      writer.int8(MAGIC);
      const crcAt = writer.offset;
      writer.int32(0); // the CRC, written once the body is
      const bodyAt = writer.offset;
      writer.int16(NO_COMPRESSION | (transactionalId ? TRANSACTIONAL : 0));
      writer.int32(planned.records.length - 1); // last offset delta
      writer.int64(planned.firstTimestamp);
      writer.int64(planned.maxTimestamp);
      writer.int64(producerId);
      writer.int16(producerEpoch);
      writer.int32(planned.firstSequence);
      writer.int32(planned.records.length);
      // A loop, not a callback made per call, which loses its optimized code at each major collection (ADR 0118).
      for (let index = 0; index < planned.records.length; index++) {
        const record = planned.records[index];
        writer.varint(record.bodyBytes);
        writer.int8(0); // record attributes
        writer.varint(record.timestampDelta);
        writer.varint(index); // offset delta
        writer.varBytes(record.key);
        writer.varBytes(record.value);
        writer.varint(record.headers.length / 2);
        for (const part of record.headers) writer.varBytes(part);
      }
      writer.buffer.writeUInt32BE(crc32C(writer.buffer.subarray(bodyAt, writer.offset)), crcAt);
    }
  }
  // Buffer writes past the end truncate silently: a size that does not add up is kafkajs's to encode.
  if (writer.offset !== size) return undefined;
  const encoded = Object.create(KafkajsEncoder.prototype) as EncodedRequest;
  encoded.buf = writer.buffer;
  encoded.offset = size;
  return encoded;
}

/** A key or value as kafkajs writes it: a Buffer's bytes, a string's UTF-8, null for none; undefined: not encoded here. */
function bytesOf(value: unknown): Buffer | string | null | undefined {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' || Buffer.isBuffer(value) ? value : undefined;
}

/** kafkajs's header list (an array value is one header per element), or undefined when a value is not a string or Buffer. */
function headersOf(headers: unknown): Array<Buffer | string> | undefined {
  if (headers === undefined) return [];
  if (headers === null || typeof headers !== 'object') return undefined;
  const parts: Array<Buffer | string> = [];
  for (const [key, given] of Object.entries(headers as Record<string, unknown>)) {
    for (const value of Array.isArray(given) ? given : [given]) {
      if (typeof value !== 'string' && !Buffer.isBuffer(value)) return undefined;
      parts.push(key, value);
    }
  }
  return parts;
}

function byteLength(value: Buffer | string): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
}

function nullableStringBytes(value: string | null): number {
  return value === null || value === undefined ? 2 : 2 + Buffer.byteLength(value, 'utf8');
}

/** Zigzag, as kafkajs's varint (32-bit) and varlong (64-bit) agree for the values written here. */
function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function varintBytes(value: number): number {
  let rest = zigzag(value);
  let bytes = 1;
  while (rest >= 0x80) {
    rest = Math.floor(rest / 0x80);
    bytes += 1;
  }
  return bytes;
}

function varBytesBytes(value: Buffer | string | null): number {
  if (value === null) return 1;
  const length = byteLength(value);
  return varintBytes(length) + length;
}

/** Writes into a buffer of the exact size, as kafkajs's Encoder does into its growing ones. */
class Writer {
  offset = 0;
  constructor(readonly buffer: Buffer) {}

  int8(value: number): void {
    this.offset = this.buffer.writeInt8(value, this.offset);
  }

  int16(value: number): void {
    this.offset = this.buffer.writeInt16BE(value, this.offset);
  }

  int32(value: number): void {
    this.offset = this.buffer.writeInt32BE(value, this.offset);
  }

  /** kafkajs's writeInt64: anything `Long.fromValue` takes (a number, text, a Long). */
  int64(value: unknown): void {
    const long = Long.fromValue(value);
    this.int32(long.getHighBits());
    this.int32(long.getLowBits());
  }

  varint(value: number): void {
    let rest = zigzag(value);
    while (rest >= 0x80) {
      this.buffer[this.offset++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.offset++] = rest;
  }

  /** A string with its length as int16, -1 for null (kafkajs's writeString). */
  nullableString(value: string | null): void {
    if (value === null || value === undefined) return this.int16(-1);
    const length = Buffer.byteLength(value, 'utf8');
    this.int16(length);
    this.offset += this.buffer.write(value, this.offset, length, 'utf8');
  }

  /** Bytes with their length as varint, -1 for null (kafkajs's writeVarIntBytes and writeVarIntString). */
  varBytes(value: Buffer | string | null): void {
    if (value === null) return this.varint(-1);
    if (typeof value === 'string') {
      const length = Buffer.byteLength(value, 'utf8');
      this.varint(length);
      this.offset += this.buffer.write(value, this.offset, length, 'utf8');
    } else {
      this.varint(value.length);
      this.offset += value.copy(this.buffer, this.offset);
    }
  }
}
