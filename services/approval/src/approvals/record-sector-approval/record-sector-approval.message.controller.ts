import { randomUUID } from 'node:crypto';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SectorApprovalDecidedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { DomainError } from '@backbone/platform';
import { ApprovalConfig } from '../../approval.config';
import { ApprovalError } from '../../approval.errors';
import { DecideApprovalService } from '../decide-approval/decide-approval.service';
import type { DecideApprovalRequest } from '../decide-approval/decide-approval.request.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An approval a sector's own approval system decided and posted at the integration intake
 * (SectorApprovalDecidedV1, ADR 0061) becomes an approval of this service, as if its department had
 * posted it to POST /approvals: the same credit check, holds and risk warnings, ApprovalDecided for
 * supervision, and the feedback of its tasks comes back to an approval this service holds. The
 * application number keeps it once: a redelivery answers the approval recorded first; the same number
 * with other particulars (APPLICATION_NUMBER_CONFLICT) and a sender that is not an approver
 * (APPROVER_DEPARTMENTS) are dead-lettered with their code.
 */
@Controller()
export class RecordSectorApprovalMessageController {
  private readonly log = new Logger(RecordSectorApprovalMessageController.name);

  constructor(
    private readonly service: DecideApprovalService,
    private readonly config: ApprovalConfig,
  ) {}

  @EventPattern(SectorApprovalDecidedV1.type)
  async sectorDecision(@Payload() event: SectorApprovalDecidedV1, @Ctx() context: InboxContext) {
    if (!this.config.roleTable().approver.includes(event.approverDepartment))
      throw new DomainError(
        ApprovalError.SENDER_NOT_APPROVER,
        `approverDepartment: ${event.approverDepartment} is not one of APPROVER_DEPARTMENTS`,
        403,
      );
    const request: DecideApprovalRequest = {
      applicationNumber: event.applicationNumber,
      uscc: event.uscc,
      entityName: event.entityName,
      itemCode: event.itemCode,
      regionCode: event.regionCode,
      kind: event.kind,
      outcome: event.outcome,
      ...(event.licenceNumber !== undefined ? { licenceNumber: event.licenceNumber } : {}),
      decidedAt: event.decidedAt,
      ...(event.validUntil !== undefined ? { validUntil: event.validUntil } : {}),
    };
    // The approval's loop continues the intake event's correlation, so its trail starts at the sector's
    // post. A sender may have chosen a correlation id that is not a UUID (the intake takes any token);
    // an approval's is one, so such a loop starts its own and is linked by its cause only.
    const correlationId = UUID.test(context.correlationId) ? context.correlationId : randomUUID();
    const { approval, created } = await this.service.decide(event.approverDepartment, request, {
      correlationId,
      causationId: context.envelope.id,
    });
    if (!created)
      this.log.log(
        `application ${event.applicationNumber} is already approval ${approval.id}; event ${context.envelope.id} records nothing`,
      );
  }
}
