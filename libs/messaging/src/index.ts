// kafkajs's producer takes its linear grouping only if it loads after this (ADR 0108): first, before
// anything below loads kafkajs's producer.
import { preloadLinearGrouping } from './kafkajs-grouping';

preloadLinearGrouping();

export * from './messaging.entities';
export * from './messaging.migration';
export * from './dead-letter-key-bytes.migration';
export * from './outbox-notify.migration';
export * from './inbox-correlation-index.migration';
export * from './outbox-more-messages.migration';
export * from './outbox-bytes.migration';
export * from './outbox-follower-values.migration';
export * from './outbox-followers';
export * from './consumer-member';
export * from './storable';
export * from './kafka.client';
export * from './kafka-security';
export * from './outbox';
export * from './outbox-relay';
export * from './outbox-signal';
export * from './outbox-kept';
export * from './inbox-context';
export * from './inbox.transport';
export * from './dead-letters.service';
export * from './messaging.module';
export * from './messaging.metrics';
export * from './retention';
export * from './start-service';
export * from './outage-pause';
export * from './messaging.errors';
