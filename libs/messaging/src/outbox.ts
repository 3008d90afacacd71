import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { createEnvelope, Envelope, EventClass, Topic } from '@backbone/contracts';
import { SERVICE_NAME, workContext } from '@backbone/platform';
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

/** An outbox row as `Outbox.prepare` makes it: the columns of `outbox`, `value` as the envelope's JSON text. */
export interface PreparedOutboxRow<T> {
  envelope: Envelope<T>;
  eventId: string;
  eventType: string;
  topic: string;
  key: string;
  value: string;
  headers: string;
  correlationId: string;
}

/** An event for `Outbox.addMany`: its class and what `add` takes. */
export interface OutgoingOf<T extends object> {
  eventClass: EventClass<T>;
  event: OutgoingEvent<T>;
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
    await manager.query(
      `INSERT INTO outbox (event_id, event_type, topic, message_key, value, headers, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [row.eventId, row.eventType, row.topic, row.key, Buffer.from(row.value), row.headers, row.correlationId],
    );
    await this.recorders.get(eventClass.topic)?.(manager, row.envelope);
    this.signal.written(manager);
    return row.envelope;
  }

  /**
   * The envelope and outbox row of an event, for a writer that inserts outbox rows itself (many in one
   * statement, on its own connection: approval's group-commit ingest). The writer inserts the row in the
   * transaction of the state it announces, keeps it at write time when `recordedAtWrite(row.topic)`, and
   * calls `committed()` after the commit. `payloadChecked`: see `createEnvelope` (a payload valid by
   * construction, proven by a spec of its builder, is not validated again).
   */
  prepare<T extends object>(
    eventClass: EventClass<T>,
    event: OutgoingEvent<T>,
    options: { payloadChecked?: boolean } = {},
  ): PreparedOutboxRow<T> {
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
      value: JSON.stringify(envelope),
      headers: JSON.stringify({ 'content-type': 'application/cloudevents+json', ce_type: envelope.type, ce_id: envelope.id }),
      correlationId,
    };
  }

  /** Rows written outside `add` (see `prepare`) were committed: wakes this process's relay now. */
  committed(): void {
    this.signal.committed();
  }

  /**
   * Several events in one statement, in the given order (their outbox ids follow it, so the relay
   * publishes them in that order). Correlation and causation ids default as in `add`; a batch handler,
   * which applies many events outside any one's work context, gives both (ADR 0027).
   */
  async addMany(manager: EntityManager, events: Array<OutgoingOf<object>>): Promise<Envelope[]> {
    if (events.length === 0) return [];
    const rows = events.map(({ eventClass, event }) => this.prepare(eventClass, event));
    await manager.query(
      `INSERT INTO outbox (event_id, event_type, topic, message_key, value, headers, correlation_id)
       SELECT event_id, event_type, topic, message_key, convert_to(value, 'UTF8'), headers::jsonb, correlation_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         WITH ORDINALITY AS e(event_id, event_type, topic, message_key, value, headers, correlation_id, position)
       ORDER BY position`,
      [
        rows.map((row) => row.eventId),
        rows.map((row) => row.eventType),
        rows.map((row) => row.topic),
        rows.map((row) => row.key),
        // As text: the driver would spell each buffer of a bytea[] as escaped hex, twice its size.
        rows.map((row) => row.value),
        rows.map((row) => row.headers),
        rows.map((row) => row.correlationId),
      ],
    );
    for (const row of rows) await this.recorders.get(row.topic)?.(manager, row.envelope);
    this.signal.written(manager);
    return rows.map((row) => row.envelope);
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
