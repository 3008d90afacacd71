import type { EntityManager } from 'typeorm';
import type { Envelope } from '@backbone/contracts';

/** Keeps one event of the loop in the trail (once: a repeat changes nothing). */
export async function recordLoopEvent(manager: EntityManager, event: Envelope): Promise<void> {
  await manager.query(
    `INSERT INTO loop_event (event_id, type, source, subject, time, correlation_id, causation_id, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING`,
    [
      event.id,
      event.type,
      event.source,
      event.subject,
      event.time,
      event.correlationid,
      event.causationid ?? null,
      JSON.stringify(event.data),
    ],
  );
}
