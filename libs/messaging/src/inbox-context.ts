import { BaseRpcContext } from '@nestjs/microservices';
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
