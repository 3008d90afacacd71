import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { text } from 'express';
import { MESSAGING_ENTITIES, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import type { IntegrationConfig } from './integration.config';
import { BATCH, STRUCTURED } from './intake/receive-events/cloudevents-request';
import { ReceiveEventsHttpController } from './intake/receive-events/receive-events.http.controller';
import { ReceiveEventsService } from './intake/receive-events/receive-events.service';
import { INTEGRATION_MIGRATIONS } from './migrations';
import { WebhookDispatcher } from './webhooks/deliver/webhook-dispatcher.service';
import { EnqueueDeliveriesMessageController } from './webhooks/enqueue-deliveries/enqueue-deliveries.message.controller';
import { ListDeliveriesHttpController } from './webhooks/list-deliveries/list-deliveries.http.controller';
import { ListSubscriptionsHttpController } from './webhooks/list-subscriptions/list-subscriptions.http.controller';
import { RedriveDeliveryHttpController } from './webhooks/redrive-delivery/redrive-delivery.http.controller';
import { SubscribeHttpController } from './webhooks/subscribe/subscribe.http.controller';
import { UnsubscribeHttpController } from './webhooks/unsubscribe/unsubscribe.http.controller';

export const INTEGRATION_SERVICE = {
  name: 'integration',
  title: 'Integration service',
  description:
    "Other agencies' systems without Kafka: a CloudEvents intake (structured, binary and batch mode) for the event types a " +
    'department may post, handed on through the outbox; and webhooks: subscriptions to event types, each matching event POSTed ' +
    'as a CloudEvent signed per Standard Webhooks, retried with backoff, in order per entity, dead-lettered and re-drivable.',
};

/** Batch bodies are larger than REST bodies (the gateway allows 5 MB at /integration/). */
const INTAKE_BODY_LIMIT = '5mb';

@Module({})
export class IntegrationModule implements NestModule {
  static forRoot(config: IntegrationConfig): DynamicModule {
    return {
      module: IntegrationModule,
      imports: [
        PlatformModule.forRoot({
          service: INTEGRATION_SERVICE.name,
          config,
          entities: [...MESSAGING_ENTITIES],
          migrations: INTEGRATION_MIGRATIONS,
        }),
        MessagingModule,
      ],
      controllers: [
        ReceiveEventsHttpController,
        SubscribeHttpController,
        ListSubscriptionsHttpController,
        UnsubscribeHttpController,
        ListDeliveriesHttpController,
        RedriveDeliveryHttpController,
        EnqueueDeliveriesMessageController,
      ],
      providers: [ReceiveEventsService, WebhookDispatcher],
    };
  }

  /** CloudEvents media types are read as text at the intake (the SDK parses them); application/json is parsed as usual. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(text({ type: [STRUCTURED, BATCH], limit: INTAKE_BODY_LIMIT })).forRoutes({ path: 'events', method: RequestMethod.POST });
  }
}
