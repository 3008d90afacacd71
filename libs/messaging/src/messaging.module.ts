import { Global, Module } from '@nestjs/common';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLetters } from './dead-letters.service';
import { InboxTransport } from './inbox.transport';
import { KafkaClient } from './kafka.client';
import { MessagingMetrics } from './messaging.metrics';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { OutboxSignal } from './outbox-signal';
import { MessagingRetention } from './retention';

/**
 * Outbox, relay, inbox transport, dead letters and retention for one service. Needs PlatformModule.
 * In main: `app.connectMicroservice({ strategy: app.get(InboxTransport) })`.
 */
@Global()
@Module({
  controllers: [DeadLettersController],
  providers: [KafkaClient, Outbox, OutboxSignal, OutboxRelay, InboxTransport, DeadLetters, MessagingRetention, MessagingMetrics],
  exports: [KafkaClient, Outbox, OutboxSignal, OutboxRelay, InboxTransport, DeadLetters],
})
export class MessagingModule {}
