import type { EntityManager } from 'typeorm';
import type { Envelope } from '@backbone/contracts';
import { jsonRow } from '@backbone/platform';

/** Keeps one event of the loop in the trail (once: a repeat changes nothing). */
export async function recordLoopEvent(manager: EntityManager, event: Envelope): Promise<void> {
  await keepLoopEvents(manager, [event]);
}

/** A trail row as the statement's JSON names it: an envelope's fields under their columns' names (ADR 0107). */
const trailRow = jsonRow([
  { property: 'id', column: 'event_id' },
  { property: 'type', column: 'type' },
  { property: 'source', column: 'source' },
  { property: 'subject', column: 'subject' },
  { property: 'time', column: 'time' },
  { property: 'correlationid', column: 'correlation_id' },
  { property: 'causationid', column: 'causation_id' },
  { property: 'data', column: 'data' },
]);

/**
 * Keeps events of the loop in the trail in one statement, in their order of arrival (a repeat changes
 * nothing). Returns the ids of those kept now: the inbox's dedup record for consumed events (ADR 0031).
 * The rows travel as one JSON parameter, each event's data inside it as JSON: as eight arrays, the data's
 * text was escaped once more for the array literal, element by element (ADR 0111).
 */
export async function keepLoopEvents(manager: EntityManager, events: Envelope[]): Promise<string[]> {
  if (events.length === 0) return [];
  const kept: Array<{ event_id: string }> = await manager.query(
    `INSERT INTO loop_event (event_id, type, source, subject, time, correlation_id, causation_id, data)
     SELECT e.event_id, e.type, e.source, e.subject, e.time, e.correlation_id, e.causation_id, e.data
     FROM ROWS FROM (json_to_recordset($1::json) AS (event_id text, type text, source text, subject text, time timestamptz,
                                                   correlation_id text, causation_id text, data jsonb))
       WITH ORDINALITY AS e(event_id, type, source, subject, time, correlation_id, causation_id, data, position)
     ORDER BY e.position
     ON CONFLICT (event_id) DO NOTHING
     RETURNING event_id`,
    [JSON.stringify(events.map(trailRow))],
  );
  // Module functions, not callbacks made per call: they keep their optimized code (ADR 0118).
  return kept.map(eventIdOf);
}

function eventIdOf(row: { event_id: string }): string {
  return row.event_id;
}
