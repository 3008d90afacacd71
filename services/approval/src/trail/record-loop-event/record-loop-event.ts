import type { EntityManager } from 'typeorm';
import type { Envelope } from '@backbone/contracts';

/** Keeps one event of the loop in the trail (once: a repeat changes nothing). */
export async function recordLoopEvent(manager: EntityManager, event: Envelope): Promise<void> {
  await keepLoopEvents(manager, [event]);
}

/**
 * Keeps events of the loop in the trail in one statement, in their order of arrival (a repeat changes
 * nothing). Returns the ids of those kept now: the inbox's dedup record for consumed events (ADR 0031).
 */
export async function keepLoopEvents(manager: EntityManager, events: Envelope[]): Promise<string[]> {
  if (events.length === 0) return [];
  const kept: Array<{ event_id: string }> = await manager.query(
    `INSERT INTO loop_event (event_id, type, source, subject, time, correlation_id, causation_id, data)
     SELECT event_id, type, source, subject, time, correlation_id, causation_id, data::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[])
       WITH ORDINALITY AS e(event_id, type, source, subject, time, correlation_id, causation_id, data, position)
     ORDER BY position
     ON CONFLICT (event_id) DO NOTHING
     RETURNING event_id`,
    [
      events.map((event) => event.id),
      events.map((event) => event.type),
      events.map((event) => event.source),
      events.map((event) => event.subject),
      events.map((event) => event.time),
      events.map((event) => event.correlationid),
      events.map((event) => event.causationid ?? null),
      events.map((event) => JSON.stringify(event.data)),
    ],
  );
  return kept.map((row) => row.event_id);
}
