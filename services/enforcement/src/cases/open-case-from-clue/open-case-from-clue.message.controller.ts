import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { UnlicensedBasis, UnlicensedOperationClueV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { CaseWorkflow, contextEmit, NewCase } from '../case-workflow.service';

/** The violation code a clue of unlicensed operation opens its case with (benchmarks are kept under it). */
export const UNLICENSED_VIOLATION_CODES: Readonly<Record<UnlicensedBasis, string>> = {
  no_business_licence: 'UNLICENSED-NO-BUSINESS-LICENCE',
  no_permit: 'UNLICENSED-NO-PERMIT',
};

export function caseFromClue(event: UnlicensedOperationClueV1, correlationId: string): NewCase {
  return {
    correlationId,
    uscc: event.uscc,
    department: event.department,
    violationCodes: [UNLICENSED_VIOLATION_CODES[event.basis]],
    source: 'unlicensed_clue',
    sourceKey: `clue:${event.clueId}`,
  };
}

/** A clue of unlicensed operation (无证无照经营) opens a case in the department the law names. */
@Controller()
export class OpenCaseFromClueMessageController {
  constructor(private readonly workflow: CaseWorkflow) {}

  @EventPattern(UnlicensedOperationClueV1.type)
  async clue(@Payload() event: UnlicensedOperationClueV1, @Ctx() context: InboxContext) {
    await this.workflow.open(
      context.manager,
      caseFromClue(event, context.correlationId),
      { department: event.department },
      {
        clueId: event.clueId,
        entityName: event.entityName,
        itemCode: event.itemCode ?? null,
        basis: event.basis,
        reason: event.reason,
        detectedAt: event.detectedAt,
        eventId: context.envelope.id,
      },
      contextEmit(context),
    );
  }
}
