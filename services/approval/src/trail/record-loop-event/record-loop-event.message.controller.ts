import { Controller, OnModuleInit } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Topics } from '@backbone/contracts';
import { ANY_EVENT, InboxBatch, InboxBatchPattern, InboxItem, Outbox } from '@backbone/messaging';
import { recordLoopEvent, recordLoopEvents } from './record-loop-event';

/**
 * Keeps every event of every service, so that one call shows an approval's whole loop by its
 * correlation id. Events of other services are kept in the inbox transaction of each, after its own
 * handler; this service's own events are kept in the transaction that writes them (ADR 0022), so its
 * consumer no longer reads its own topic back. Consecutive events of a chunk are kept in one statement
 * (ADR 0027).
 */
@Controller()
export class RecordLoopEventMessageController implements OnModuleInit {
  constructor(private readonly outbox: Outbox) {}

  onModuleInit(): void {
    this.outbox.recordOwnEvents(Topics.ApprovalEvents, recordLoopEvent);
  }

  @InboxBatchPattern(ANY_EVENT)
  async record(@Payload() items: InboxItem[], @Ctx() batch: InboxBatch) {
    await recordLoopEvents(
      batch.manager,
      items.map(({ context }) => context.envelope),
    );
  }
}
