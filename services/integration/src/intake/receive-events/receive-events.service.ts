import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createEnvelope } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { IntegrationErrors } from '../../integration.errors';
import type { CheckedEvent } from './cloudevents-request';

/** What the intake answers for each event: accepted now, or accepted before (a replay). */
export interface Receipt {
  id: string;
  source: string;
  type: string;
  status: 'accepted' | 'duplicate';
  /** The id of the event as published on backbone.integration.events. */
  eventId: string;
  correlationId: string;
}

/**
 * Accepts checked events: each is recorded under its CloudEvents source + id and written to the outbox
 * in the same transaction, so an event the caller was told is accepted reaches Kafka even if this
 * process dies right after answering. A replay (same source + id, same content) returns the first
 * receipt; the same key with other content is refused (422) and the whole request writes nothing.
 */
@Injectable()
export class ReceiveEventsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  accept(department: string, events: CheckedEvent[]): Promise<Receipt[]> {
    return this.dataSource.transaction(async (manager) => {
      const receipts: Receipt[] = [];
      for (const event of events) {
        const eventId = randomUUID();
        const correlationId = event.correlationId ?? randomUUID();
        const inserted: { event_id: string }[] = await manager.query(
          `INSERT INTO intake_event (source, ce_id, type, department, subject, content_hash, event_id, correlation_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (source, ce_id) DO NOTHING RETURNING event_id`,
          [event.source, event.id, event.eventClass.type, department, event.subject, event.contentHash, eventId, correlationId],
        );
        if (inserted.length === 0) {
          const [first]: { content_hash: string; event_id: string; correlation_id: string }[] = await manager.query(
            `SELECT content_hash, event_id, correlation_id FROM intake_event WHERE source = $1 AND ce_id = $2`,
            [event.source, event.id],
          );
          if (first.content_hash !== event.contentHash) throw IntegrationErrors.idReused(event.source, event.id);
          receipts.push({ ...this.key(event), status: 'duplicate', eventId: first.event_id, correlationId: first.correlation_id });
          continue;
        }
        const envelope = createEnvelope(event.eventClass, {
          id: eventId,
          source: event.source,
          subject: event.subject,
          data: event.data,
          correlationId,
          time: event.time ? new Date(event.time) : undefined,
        });
        await this.outbox.addRaw(manager, {
          eventId,
          eventType: envelope.type,
          topic: event.eventClass.topic,
          key: envelope.subject,
          value: Buffer.from(JSON.stringify(envelope)),
          headers: { 'content-type': 'application/cloudevents+json', ce_type: envelope.type, ce_id: envelope.id },
          correlationId,
        });
        receipts.push({ ...this.key(event), status: 'accepted', eventId, correlationId });
      }
      return receipts;
    });
  }

  private key(event: CheckedEvent) {
    return { id: event.id, source: event.source, type: event.eventClass.type };
  }
}
