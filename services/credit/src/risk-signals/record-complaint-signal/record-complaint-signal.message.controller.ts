import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ComplaintRegisteredV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { ComplaintSignal } from '../complaint-signal.entity';

/** Complaint counts become a risk signal for the entity (one row per complaint, whatever the redeliveries). */
@Controller()
export class RecordComplaintSignalMessageController {
  @EventPattern(ComplaintRegisteredV1.type)
  async complaintRegistered(@Payload() event: ComplaintRegisteredV1, @Ctx() context: InboxContext) {
    await context.manager
      .createQueryBuilder()
      .insert()
      .into(ComplaintSignal)
      .values({
        complaintId: event.complaintId,
        uscc: event.uscc,
        kind: event.kind,
        channel: event.channel,
        department: event.department,
        repeatOf: event.repeatOf ?? null,
        registeredAt: new Date(event.registeredAt),
      })
      .orIgnore()
      .execute();
  }
}
