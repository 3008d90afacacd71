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
    const context = workContext.current();
    const correlationId = event.correlationId ?? context.correlationId;
    if (!correlationId) throw new Error(`${eventClass.type}: no correlation id given and none in the work context`);
    const envelope = createEnvelope(eventClass, {
      source: `/services/${this.source}`,
      subject: event.subject,
      data: event.data,
      correlationId,
      causationId: event.causationId ?? context.eventId,
    });
    await manager.query(
      `INSERT INTO outbox (event_id, event_type, topic, message_key, value, headers, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        envelope.id,
        envelope.type,
        eventClass.topic,
        envelope.subject,
        Buffer.from(JSON.stringify(envelope)),
        JSON.stringify({ 'content-type': 'application/cloudevents+json', ce_type: envelope.type, ce_id: envelope.id }),
        correlationId,
      ],
    );
    await this.recorders.get(eventClass.topic)?.(manager, envelope);
    this.signal.written(manager);
    return envelope;
  }

  /**
   * Several events in one statement, in the given order (their outbox ids follow it, so the relay
   * publishes them in that order). Correlation and causation ids default as in `add`; a batch handler,
   * which applies many events outside any one's work context, gives both (ADR 0027).
   */
  async addMany(manager: EntityManager, events: Array<OutgoingOf<object>>): Promise<Envelope[]> {
    if (events.length === 0) return [];
    const context = workContext.current();
    const envelopes = events.map(({ eventClass, event }) => {
      const correlationId = event.correlationId ?? context.correlationId;
      if (!correlationId) throw new Error(`${eventClass.type}: no correlation id given and none in the work context`);
      return createEnvelope(eventClass, {
        source: `/services/${this.source}`,
        subject: event.subject,
        data: event.data,
        correlationId,
        causationId: event.causationId ?? context.eventId,
      });
    });
    await manager.query(
      `INSERT INTO outbox (event_id, event_type, topic, message_key, value, headers, correlation_id)
       SELECT event_id, event_type, topic, message_key, value, headers::jsonb, correlation_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::text[], $7::text[])
         WITH ORDINALITY AS e(event_id, event_type, topic, message_key, value, headers, correlation_id, position)
       ORDER BY position`,
      [
        envelopes.map((envelope) => envelope.id),
        envelopes.map((envelope) => envelope.type),
        events.map(({ eventClass }) => eventClass.topic),
        envelopes.map((envelope) => envelope.subject),
        envelopes.map((envelope) => Buffer.from(JSON.stringify(envelope))),
        envelopes.map((envelope) =>
          JSON.stringify({ 'content-type': 'application/cloudevents+json', ce_type: envelope.type, ce_id: envelope.id }),
        ),
        envelopes.map((envelope) => envelope.correlationid),
      ],
    );
    for (const [index, envelope] of envelopes.entries()) await this.recorders.get(events[index].eventClass.topic)?.(manager, envelope);
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
