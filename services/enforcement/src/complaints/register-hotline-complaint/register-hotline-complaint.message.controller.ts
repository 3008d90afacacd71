import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { HotlineComplaintReceivedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { EnforcementConfig, hotlineDepartments } from '../../enforcement.config';
import { ComplaintErrors } from '../complaint.errors';
import { RegisterComplaintService } from '../register-complaint/register-complaint.service';
import { parseHotlineRoutes } from './hotline-routes';

/** The caller stays with the hotline (whistle-blower protection): the answer goes back through it, by ticket number. */
export const HOTLINE_COMPLAINANT = '12345 hotline caller (identity kept by the hotline)';

/**
 * A work order the 12345 hotline's system posted at the integration intake (HotlineComplaintReceivedV1)
 * becomes a complaint in the department its category routes to (HOTLINE_ROUTES), with the answer
 * deadline of the route's kind, linked to earlier complaints about the entity, and counted by credit.
 * The answer goes back as ComplaintAnsweredV1 carrying the ticket number. A sender that is not a hotline
 * client, or a route to a department this system does not have, is dead-lettered with its code.
 */
@Controller()
export class RegisterHotlineComplaintMessageController {
  private readonly log = new Logger(RegisterHotlineComplaintMessageController.name);

  constructor(
    private readonly service: RegisterComplaintService,
    private readonly config: EnforcementConfig,
  ) {}

  @EventPattern(HotlineComplaintReceivedV1.type)
  async workOrder(@Payload() event: HotlineComplaintReceivedV1, @Ctx() context: InboxContext) {
    if (!hotlineDepartments(this.config).includes(event.hotlineDepartment)) throw ComplaintErrors.notHotline(event.hotlineDepartment);
    const route = parseHotlineRoutes(this.config.HOTLINE_ROUTES)[event.category];
    const { complaint, created } = await this.service.registerWorkOrder(context.manager, event.hotlineDepartment, event.ticketNumber, {
      uscc: event.uscc,
      kind: route.kind,
      channel: 'hotline_12345',
      department: route.department,
      complainant: HOTLINE_COMPLAINANT,
      content: event.content,
      externalRef: event.ticketNumber,
      category: event.category,
    });
    if (!created)
      this.log.log(`work order ${event.ticketNumber} is already complaint ${complaint.id}; event ${context.envelope.id} registers nothing`);
  }
}
