import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { createEnvelope, Envelope, EventClass, Topic } from '@backbone/contracts';
import { SERVICE_NAME, workContext } from '@backbone/platform';
import { followersText, type OutboxMessageColumns } from './outbox-followers';
import type { RelayMessage } from './outbox-kept';
import { OutboxSignal } from './outbox-signal';

export interface OutgoingEvent<T> {
  /** The market entity's USCC: CloudEvents subject and Kafka key. */
  subject: string;
  data: T;
  /** Defaults to the correlation id of the work in progress. */
  correlationId?: string;
  /** Defaults to the event being handled, if any. */
  causationId?: string;
}

/**
 * An outbox row as `Outbox.envelopeRow` makes it: the columns of `outbox`, the value as its envelope (the
 * stored value is `JSON.stringify(envelope)` byte for byte: its writers send those bytes, `packTexts`),
 * the headers as an object.
 */
export interface OutboxEnvelopeRow<T> {
  envelope: Envelope<T>;
  eventId: string;
  eventType: string;
  topic: string;
  key: string;
  headers: Record<string, string>;
  correlationId: string;
}

/** An outbox row as `Outbox.prepare` makes it: `value` as the envelope's JSON text, `headers` as JSON text. */
export interface PreparedOutboxRow<T> extends Omit<OutboxEnvelopeRow<T>, 'headers'> {
  value: string;
  headers: string;
}

/** An event for `Outbox.addMany`: its class and what `add` takes. */
export interface OutgoingOf<T extends object> {
  eventClass: EventClass<T>;
  event: OutgoingEvent<T>;
  /**
   * The payload is valid by construction, proven by a spec of its builder: not validated again (see
   * `createEnvelope`; supervision's opened tasks, ADR 0036). Anything built from input not checked
   * against the event's own rules leaves it unset.
   */
  payloadChecked?: boolean;
}

/** Keeps, in the transaction that writes it, what a service records about an event of its own. */
export type OwnEventRecorder = (manager: EntityManager, envelope: Envelope) => Promise<void>;

/**
 * Writes events into the outbox inside the caller's transaction: they are published if and only if
 * that transaction commits. Call it after taking the locks that order your state changes, so that
 * per-entity order in the outbox is commit order.
 */
@Injectable()
export class Outbox {
  private readonly recorders = new Map<string, OwnEventRecorder>();

  constructor(
    @Inject(SERVICE_NAME) private readonly source: string,
    private readonly signal: OutboxSignal,
  ) {}

  /**
   * Every event this process writes to `topic` is also handed to `recorder`, in the same transaction.
   * An `@EventPattern(ANY_EVENT)` handler then no longer consumes that topic (the service's own events
   * would only come back to it): approval's trail keeps its own events at write time (ADR 0022).
   */
  recordOwnEvents(topic: Topic, recorder: OwnEventRecorder): void {
    this.recorders.set(topic, recorder);
  }

  /** Whether this topic's events are recorded at write time (see recordOwnEvents). */
  recordedAtWrite(topic: string): boolean {
    return this.recorders.has(topic);
  }

  async add<T extends object>(manager: EntityManager, eventClass: EventClass<T>, event: OutgoingEvent<T>): Promise<Envelope<T>> {
    const row = this.prepare(eventClass, event);
    const value = Buffer.from(row.value);
    // Kept before the statement is sent (ADR 0116): without a transaction the row commits with it, and the
    // relay may find it before this process hears that the statement completed.
    this.keep(row.eventId, [{ topic: row.topic, key: row.key, value, headers: cloudEventHeaders(row.envelope) }]);
    await manager.query(
      `INSERT INTO outbox (event_id, event_type, topic, message_key, value, headers, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [row.eventId, row.eventType, row.topic, row.key, value, row.headers, row.correlationId],
    );
    await this.recorders.get(eventClass.topic)?.(manager, row.envelope);
    this.signal.written(manager);
    return row.envelope;
  }

  /**
   * The envelope and outbox row of an event, its value and headers as JSON text: the row `add` inserts.
   * `payloadChecked`: see `createEnvelope` (a payload valid by construction, proven by a spec of its
   * builder, is not validated again).
   */
  prepare<T extends object>(
    eventClass: EventClass<T>,
    event: OutgoingEvent<T>,
    options: { payloadChecked?: boolean } = {},
  ): PreparedOutboxRow<T> {
    const row = this.envelopeRow(eventClass, event, options);
    return { ...row, value: JSON.stringify(row.envelope), headers: JSON.stringify(row.headers) };
  }

  /**
   * `prepare` without the value's and headers' JSON text, for a writer that writes the texts itself:
   * `addTogether`, and approval's group-commit ingest, which inserts outbox rows itself (many in one
   * statement, on its own connection), in the transaction of the state they announce, keeps them at
   * write time when `recordedAtWrite(row.topic)`, and calls `committed()` after the commit. Both send the
   * envelope's bytes beside the statement's JSON (ADR 0092).
   */
  envelopeRow<T extends object>(
    eventClass: EventClass<T>,
    event: OutgoingEvent<T>,
    options: { payloadChecked?: boolean } = {},
  ): OutboxEnvelopeRow<T> {
    const context = workContext.current();
    const correlationId = event.correlationId ?? context.correlationId;
    if (!correlationId) throw new Error(`${eventClass.type}: no correlation id given and none in the work context`);
    const envelope = createEnvelope(
      eventClass,
      {
        source: `/services/${this.source}`,
        subject: event.subject,
        data: event.data,
        correlationId,
        causationId: event.causationId ?? context.eventId,
      },
      options,
    );
    return {
      envelope,
      eventId: envelope.id,
      eventType: envelope.type,
      topic: eventClass.topic,
      key: envelope.subject,
      headers: cloudEventHeaders(envelope),
      correlationId,
    };
  }

  /** Rows written outside `add` (see `prepare`) were committed: wakes this process's relay now. */
  committed(): void {
    this.signal.committed();
  }

  /**
   * A writer that inserts outbox rows itself (see `envelopeRow`) hands their messages to this process's
   * relay, before its statement is sent (a row that commits with its statement can be found by the relay
   * before the writer hears back): `eventId` of the row's first message (made by `envelopeRow`), its
   * messages as the row holds them (ADR 0116).
   */
  keep(eventId: string, messages: RelayMessage[]): void {
    this.signal.kept.keep(eventId, messages);
  }

  /**
   * Several events in one statement, in the given order (their outbox ids follow it, so the relay
   * publishes them in that order). Correlation and causation ids default as in `add`; a batch handler,
   * which applies many events outside any one's work context, gives both (ADR 0027).
   */
  addMany(manager: EntityManager, events: Array<OutgoingOf<object>>): Promise<Envelope[]> {
    return this.addTogether(
      manager,
      events.map((event) => [event]),
    );
  }

  /**
   * Groups of events in one statement, one outbox row per group (ADR 0031): the row's columns are its
   * first event's, the others ride in `more_messages`. The relay publishes a row's messages together and
   * in order, each its own Kafka message with its own key and headers, and deletes the row once Kafka
   * acknowledged them all: a task's assignment and automatic claim cost one row written and deleted, not
   * two. Whatever looks for an event in the outbox by type or id reads the view `outbox_message`.
   */
  async addTogether(manager: EntityManager, groups: Array<Array<OutgoingOf<object>>>): Promise<Envelope[]> {
    // Loops, not callbacks made per call: a closure made per call loses its optimized code at each major
    // collection, and this runs for every chunk a service applies (ADR 0118).
    const prepared: Array<Array<OutboxEnvelopeRow<object>>> = [];
    for (const group of groups) {
      if (group.length === 0) continue;
      const rows: Array<OutboxEnvelopeRow<object>> = [];
      for (const { eventClass, event, payloadChecked } of group) rows.push(this.envelopeRow(eventClass, event, { payloadChecked }));
      prepared.push(rows);
    }
    if (prepared.length === 0) return [];
    // The rows' short columns as one JSON parameter, their messages' bytes as one bytea parameter (sent
    // in binary, nothing escaped): each row's envelope text, then its followers' bytes (ADR 0109), sliced out by
    // byte offset. PostgreSQL parses neither (ADR 0092); the stored value is JSON.stringify(envelope).
    const { columns, bytes, messages } = packRows(prepared);
    // This process's relay publishes them from here, not from bytes read back; kept before the statement is
    // sent, as in `add` (ADR 0116).
    for (let i = 0; i < prepared.length; i++) this.keep(prepared[i][0].eventId, messages[i]);
    await manager.query(
      `INSERT INTO outbox (event_id, event_type, topic, message_key, value, headers, correlation_id, more_messages)
       SELECT e.event_id, e.event_type, e.topic, e.message_key, substring($2::bytea FROM e.at + 1 FOR e.value_bytes), e.headers,
              e.correlation_id, CASE WHEN e.more_bytes > 0 THEN substring($2::bytea FROM e.at + e.value_bytes + 1 FOR e.more_bytes) END
       FROM ROWS FROM (json_to_recordset($1::json) AS (event_id text, event_type text, topic text, message_key text, headers jsonb,
              correlation_id text, at int, value_bytes int, more_bytes int)) WITH ORDINALITY AS e
       ORDER BY e.ordinality`,
      [columns, bytes],
    );
    const envelopes: Envelope[] = [];
    for (const rows of prepared)
      for (const row of rows) {
        await this.recorders.get(row.topic)?.(manager, row.envelope);
        envelopes.push(row.envelope);
      }
    this.signal.written(manager);
    return envelopes;
  }

  /** Any message (dead letters): same delivery path, no envelope. */
  async addRaw(
    manager: EntityManager,
    message: {
      eventId: string;
      eventType: string;
      topic: string;
      key: string;
      value: Buffer;
      headers: Record<string, string>;
      correlationId?: string;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO outbox (event_id, event_type, topic, message_key, value, headers, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
      [
        message.eventId,
        message.eventType,
        message.topic,
        message.key,
        message.value,
        JSON.stringify(message.headers),
        message.correlationId ?? null,
      ],
    );
    this.signal.written(manager);
  }
}

/** The Kafka headers of an event's message. */
function cloudEventHeaders(envelope: Envelope): Record<string, string> {
  return { 'content-type': 'application/cloudevents+json', ce_type: envelope.type, ce_id: envelope.id };
}

/** An outbox row's columns as `addTogether` sends them: where its bytes are in the statement's bytea. */
export interface PackedOutboxRow extends OutboxMessageColumns {
  /** Byte offset of the row's envelope text; its length; then the length of its `more_messages` (0: none; ADR 0109). */
  at: number;
  value_bytes: number;
  more_bytes: number;
}

/**
 * Texts as one buffer of their UTF-8 bytes, in order, with where each is (byte offset, length; an empty
 * text is 0 bytes): for a statement that takes messages out of one `bytea` parameter with `substring`
 * (ADR 0092). node-postgres sends a Buffer parameter in binary, so nothing is escaped on either side.
 */
export function packTexts(texts: string[]): { bytes: Buffer; spans: Array<{ at: number; bytes: number }> } {
  let bound = 0;
  for (const text of texts) bound += 3 * text.length; // UTF-8 takes at most 3 bytes per UTF-16 unit
  const bytes = Buffer.allocUnsafe(bound);
  const spans: Array<{ at: number; bytes: number }> = [];
  let at = 0;
  for (const text of texts) {
    const written = text === '' ? 0 : bytes.write(text, at, 'utf8');
    spans.push({ at, bytes: written });
    at += written;
  }
  // A copy of the bytes written, not a view of the bound: the relay may keep slices of it (ADR 0116), and a
  // slice holds its whole buffer, here up to three times the bytes. Copying is a memcpy of the statement's bytes.
  return { bytes: Buffer.from(bytes.subarray(0, at)), spans };
}

/** A message as the relay sends it (ADR 0116): its row's topic, key and headers, its value the bytes at `span`. */
export function relayMessage(
  row: Pick<OutboxEnvelopeRow<object>, 'topic' | 'key' | 'headers'>,
  bytes: Buffer,
  span: { at: number; bytes: number },
): RelayMessage {
  return { topic: row.topic, key: row.key, value: bytes.subarray(span.at, span.at + span.bytes), headers: row.headers };
}

/**
 * Outbox rows (each a group: its first message, then the followers) as one JSON text of their short
 * columns and one buffer of their messages' bytes, in order: each row's `JSON.stringify(envelope)`, then,
 * if it has followers, their `more_messages` (their columns' JSON, a line feed, their envelopes' texts:
 * `followersText`, ADR 0109).
 */
export function packRows(groups: Array<Array<OutboxEnvelopeRow<object>>>): {
  columns: string;
  bytes: Buffer;
  messages: RelayMessage[][];
} {
  const texts: string[] = [];
  const followerLengths: number[][] = [];
  for (const [row, ...more] of groups) {
    const values = more.map((follower) => JSON.stringify(follower.envelope));
    const lengths = values.map((value) => Buffer.byteLength(value, 'utf8'));
    followerLengths.push(lengths);
    texts.push(JSON.stringify(row.envelope), more.length === 0 ? '' : followersText(more, values, lengths));
  }
  const { bytes, spans } = packTexts(texts);
  // Each row's messages as the relay sends them, their values slices of `bytes` (ADR 0116): the row's own
  // envelope, then its followers' envelopes, which end its `more_messages` one after another (ADR 0109).
  // A loop, not callbacks made per call (ADR 0118).
  const messages: RelayMessage[][] = [];
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i];
    const rowMessages = [relayMessage(group[0], bytes, spans[2 * i])];
    const lengths = followerLengths[i];
    const span = spans[2 * i + 1];
    let at = span.at + span.bytes;
    for (const length of lengths) at -= length;
    for (let f = 1; f < group.length; f++) {
      rowMessages.push(relayMessage(group[f], bytes, { at, bytes: lengths[f - 1] }));
      at += lengths[f - 1];
    }
    messages.push(rowMessages);
  }
  const columns: PackedOutboxRow[] = groups.map(([row], i) => ({
    event_id: row.eventId,
    event_type: row.eventType,
    topic: row.topic,
    message_key: row.key,
    headers: row.headers,
    correlation_id: row.correlationId,
    at: spans[2 * i].at,
    value_bytes: spans[2 * i].bytes,
    more_bytes: spans[2 * i + 1].bytes,
  }));
  return { columns: JSON.stringify(columns), bytes, messages };
}
