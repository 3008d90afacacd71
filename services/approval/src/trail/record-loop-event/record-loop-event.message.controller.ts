import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { ANY_EVENT, InboxContext } from '@backbone/messaging';

/**
 * Keeps every event of every service (this one's own included), so that one call shows an approval's
 * whole loop by its correlation id. Runs in the inbox transaction of each event, after its own handler.
 */
@Controller()
export class RecordLoopEventMessageController {
  @EventPattern(ANY_EVENT)
  async record(@Ctx() context: InboxContext) {
    const event = context.envelope;
    await context.manager.query(
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
}
