import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { InspectionRecordedV1, PenaltyDecidedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { CreditEntry, CreditEntryKind, InspectionFact, PenaltyFact } from '../credit-entry.entity';

/** What a penalty decision puts into the record: plain JSON, no undefined fields. */
export function penaltyFact(event: PenaltyDecidedV1): PenaltyFact {
  return {
    caseId: event.caseId,
    decisionNumber: event.decisionNumber,
    department: event.department,
    penalties: event.penalties.map(({ kind, amount }) => (amount === undefined ? { kind } : { kind, amount })),
    licenceAction: event.licenceAction
      ? {
          action: event.licenceAction.action,
          ...(event.licenceAction.until !== undefined ? { until: event.licenceAction.until } : {}),
          reason: event.licenceAction.reason,
        }
      : null,
  };
}

/** What an inspection puts into the record, compliant or not. */
export function inspectionFact(event: InspectionRecordedV1): InspectionFact {
  return {
    inspectionId: event.inspectionId,
    department: event.department,
    result: event.result,
    violations: event.violations.map(({ code, description }) => ({ code, description })),
  };
}

/** Penalties and inspection results, wherever they come from, are filed under the entity's USCC. */
@Controller()
export class RecordCreditFactsMessageController {
  @EventPattern(PenaltyDecidedV1.type)
  async penaltyDecided(@Payload() event: PenaltyDecidedV1, @Ctx() context: InboxContext) {
    await record(context, event.uscc, 'penalty', new Date(event.decidedAt), penaltyFact(event));
  }

  @EventPattern(InspectionRecordedV1.type)
  async inspectionRecorded(@Payload() event: InspectionRecordedV1, @Ctx() context: InboxContext) {
    await record(context, event.uscc, 'inspection', new Date(event.inspectedAt), inspectionFact(event));
  }
}

/**
 * One entry per source event. The inbox already drops a redelivery; the unique source event id also
 * keeps a re-driven event from being recorded twice after the inbox row was purged.
 */
async function record(context: InboxContext, uscc: string, kind: CreditEntryKind, occurredAt: Date, detail: PenaltyFact | InspectionFact) {
  await context.manager
    .createQueryBuilder()
    .insert()
    .into(CreditEntry)
    .values({ uscc, kind, sourceEventId: context.envelope.id, correlationId: context.correlationId, occurredAt, detail })
    .orIgnore()
    .execute();
}
