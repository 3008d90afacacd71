import { BaseRpcContext, EventPattern } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import type { Envelope, EventClass } from '@backbone/contracts';
import type { Outbox, OutgoingEvent } from './outbox';

/**
 * What an event handler gets beside the payload: the envelope, and the transaction in which the
 * inbox row is written. Write every effect through `manager` (and `emit`), so that the effects, the
 * events they cause and the inbox row commit together or not at all.
 */
export class InboxContext extends BaseRpcContext<[Envelope, EntityManager, Outbox]> {
  get envelope(): Envelope {
    return this.args[0];
  }

  get manager(): EntityManager {
    return this.args[1];
  }

  get correlationId(): string {
    return this.envelope.correlationid;
  }

  /** Emits an event caused by this one: same correlation id, causation id = this event's id. */
  emit<T extends object>(eventClass: EventClass<T>, event: Omit<OutgoingEvent<T>, 'correlationId' | 'causationId'>) {
    return this.args[2].add(this.manager, eventClass, {
      ...event,
      correlationId: this.envelope.correlationid,
      causationId: this.envelope.id,
    });
  }
}

/** One event of a batch: its payload (validated, transformed) and its own context. */
export interface InboxItem<T = unknown> {
  payload: T;
  context: InboxContext;
}

/**
 * What a batch handler gets beside its items: the one transaction in which their inbox rows are
 * written. Effects go through `manager` (and each item's `context.emit`, or `Outbox.addMany`).
 */
export class InboxBatch extends BaseRpcContext<[EntityManager, Outbox]> {
  get manager(): EntityManager {
    return this.args[0];
  }

  get outbox(): Outbox {
    return this.args[1];
  }
}

/** The pattern extra that marks a batch handler (its value: the key that groups its types). */
export const INBOX_BATCH = 'inboxBatch';

/**
 * A handler that applies many events at once (ADR 0027): `@InboxBatchPattern(A.type, B.type)` on a
 * method `(items: InboxItem[], batch: InboxBatch)` (take them with `@Payload()` and `@Ctx()`).
 * Consecutive messages of a chunk whose types the same batch handler takes come to it in one call, in
 * partition order, without duplicates (the inbox dropped those). It must apply them exactly as it would
 * one at a time, in order: several items may be about the same entity. When the call fails, the chunk
 * is applied again with every message alone (the handler called with one item), so that only the
 * failing message is retried and dead-lettered.
 */
export const InboxBatchPattern = (...types: string[]): MethodDecorator => EventPattern(types, { [INBOX_BATCH]: types.join(',') });
