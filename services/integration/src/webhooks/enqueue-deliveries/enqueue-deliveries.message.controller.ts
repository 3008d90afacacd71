import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { ANY_EVENT, InboxContext } from '@backbone/messaging';

/**
 * Every event of every topic becomes one delivery row per active subscription to its type, written in
 * the inbox transaction of the event: the delivery table is the webhooks' outbox. A redelivered event
 * is recognised by the inbox and adds nothing.
 */
@Controller()
export class EnqueueDeliveriesMessageController {
  @EventPattern(ANY_EVENT)
  async enqueue(@Ctx() context: InboxContext) {
    const event = context.envelope;
    await context.manager.query(
      `INSERT INTO webhook_delivery (subscription_id, event_id, event_type, subject, payload)
       SELECT id, $1, $2, $3, $4 FROM webhook_subscription WHERE status = 'active' AND $2 = ANY (event_types)
       ON CONFLICT (subscription_id, event_id) DO NOTHING`,
      [event.id, event.type, event.subject, JSON.stringify(event)],
    );
  }
}
