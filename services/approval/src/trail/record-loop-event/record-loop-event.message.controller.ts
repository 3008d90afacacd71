import { Controller, OnModuleInit } from '@nestjs/common';
import { Topics } from '@backbone/contracts';
import { InboxTransport, Outbox } from '@backbone/messaging';
import { keepLoopEvents, recordLoopEvent } from './record-loop-event';

/**
 * Keeps every event of every service, so that one call shows an approval's whole loop by its
 * correlation id. This service's own events are kept in the transaction that writes them (ADR 0022),
 * so its consumer no longer reads its own topic back. Events of other services are kept by the inbox,
 * in the transaction of each, a chunk's in one statement; their trail row is also their inbox record
 * (ADR 0031): a redelivered event finds it and is not applied again, and no inbox row is written.
 */
@Controller()
export class RecordLoopEventMessageController implements OnModuleInit {
  constructor(
    private readonly outbox: Outbox,
    private readonly inbox: InboxTransport,
  ) {}

  onModuleInit(): void {
    this.outbox.recordOwnEvents(Topics.ApprovalEvents, recordLoopEvent);
    this.inbox.keepEventsWith(keepLoopEvents);
  }
}
