import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CaseTransferredV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { CaseWorkflow, contextEmit, NewCase } from '../case-workflow.service';

/** The case a transfer opens in the receiving department, or null (a judicial transfer leaves the system). */
export function caseFromTransfer(event: CaseTransferredV1, correlationId: string): NewCase | null {
  if (event.target !== 'department') return null;
  return {
    correlationId,
    uscc: event.uscc,
    approvalId: event.approvalId ?? null,
    department: event.toDepartment,
    violationCodes: event.violationCodes,
    source: 'transfer',
    sourceKey: `transfer:${event.caseId}:${event.toDepartment}`,
  };
}

/** A clue transferred by another department (线索移送): the receiving department gets a case of its own. */
@Controller()
export class OpenCaseFromTransferMessageController {
  constructor(private readonly workflow: CaseWorkflow) {}

  @EventPattern(CaseTransferredV1.type)
  async transferred(@Payload() event: CaseTransferredV1, @Ctx() context: InboxContext) {
    const init = caseFromTransfer(event, context.correlationId);
    if (!init) return;
    await this.workflow.open(
      context.manager,
      init,
      { department: event.fromDepartment },
      {
        transferredFromCase: event.caseId,
        fromDepartment: event.fromDepartment,
        reason: event.reason,
        transferredAt: event.transferredAt,
        eventId: context.envelope.id,
      },
      contextEmit(context),
    );
  }
}
