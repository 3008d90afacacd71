import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CreditStatusChangedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';

/**
 * This service's copy of each entity's credit standing, for the check on every application. Only the
 * newest standing by effectiveAt is kept (a late, older event changes nothing); a newer standing without
 * a measure lifts that restriction by itself.
 */
@Controller()
export class RecordCreditStandingMessageController {
  @EventPattern(CreditStatusChangedV1.type)
  async statusChanged(@Payload() event: CreditStatusChangedV1, @Ctx() context: InboxContext) {
    await context.manager.query(
      `INSERT INTO credit_standing (uscc, tier, lists, measures, effective_at, event_id, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (uscc) DO UPDATE SET tier = EXCLUDED.tier, lists = EXCLUDED.lists, measures = EXCLUDED.measures,
         effective_at = EXCLUDED.effective_at, event_id = EXCLUDED.event_id, updated_at = now()
       WHERE credit_standing.effective_at <= EXCLUDED.effective_at`,
      [event.uscc, event.tier, JSON.stringify(event.lists), JSON.stringify(event.measures), event.effectiveAt, context.envelope.id],
    );
  }
}
