import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  CaseClosedV1,
  CommitmentVerifiedV1,
  InspectionRecordedV1,
  InspectionRecordedV2,
  LicenceStatusChangedV1,
  PenaltyDecidedV1,
} from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import {
  CaseClosureFact,
  CommitmentFact,
  CreditEntryKind,
  CreditFactDetail,
  InspectionFact,
  LicenceStatusFact,
  PenaltyFact,
} from '../credit-entry.entity';
import { CreditRecordService } from '../credit-record.service';

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

/** What an inspection result of contract v2 (ad hoc or random) puts into the record: every result, with its category. */
export function inspectionFactV2(event: InspectionRecordedV2): InspectionFact {
  return {
    inspectionId: event.inspectionId,
    department: event.department,
    result: event.result,
    violations: event.violations.map(({ code, description }) => ({ code, description })),
    category: event.category,
    programme: event.programme,
    itemCodes: [...event.itemCodes],
    ...(event.taskReference ? { taskReference: event.taskReference } : {}),
  };
}

/** What a verified commitment puts into the record: fulfilment and breach alike (信用承诺履行情况纳入信用记录). */
export function commitmentFact(event: CommitmentVerifiedV1): CommitmentFact {
  return {
    verificationId: event.verificationId,
    approvalId: event.approvalId,
    itemCode: event.itemCode,
    department: event.department,
    outcome: event.outcome,
    findings: event.findings,
  };
}

/** What a case closure puts into the record (reflected, never counted). */
export function caseClosureFact(event: CaseClosedV1): CaseClosureFact {
  return { caseId: event.caseId, department: event.department, outcome: event.outcome };
}

/** What a licence status change puts into the record (reflected, never counted). */
export function licenceStatusFact(event: LicenceStatusChangedV1): LicenceStatusFact {
  return {
    approvalId: event.approvalId,
    ...(event.licenceNumber !== undefined ? { licenceNumber: event.licenceNumber } : {}),
    from: event.from,
    to: event.to,
    ...(event.until !== undefined ? { until: event.until } : {}),
    reason: event.reason,
    ...(event.causeEventId !== undefined ? { causeEventId: event.causeEventId } : {}),
  };
}

/**
 * Penalties, inspection results and commitment outcomes, wherever they come from, are filed under the
 * entity's USCC; each may put the entity on a list and change its tier, which is then published.
 */
@Controller()
export class RecordCreditFactsMessageController {
  constructor(private readonly records: CreditRecordService) {}

  @EventPattern(PenaltyDecidedV1.type)
  async penaltyDecided(@Payload() event: PenaltyDecidedV1, @Ctx() context: InboxContext) {
    await this.record(context, event.uscc, 'penalty', new Date(event.decidedAt), penaltyFact(event));
  }

  @EventPattern(InspectionRecordedV1.type)
  async inspectionRecorded(@Payload() event: InspectionRecordedV1, @Ctx() context: InboxContext) {
    await this.record(context, event.uscc, 'inspection', new Date(event.inspectedAt), inspectionFact(event));
  }

  @EventPattern(InspectionRecordedV2.type)
  async inspectionRecordedV2(@Payload() event: InspectionRecordedV2, @Ctx() context: InboxContext) {
    await this.record(context, event.uscc, 'inspection', new Date(event.inspectedAt), inspectionFactV2(event));
  }

  @EventPattern(CommitmentVerifiedV1.type)
  async commitmentVerified(@Payload() event: CommitmentVerifiedV1, @Ctx() context: InboxContext) {
    await this.record(context, event.uscc, 'commitment', new Date(event.verifiedAt), commitmentFact(event));
  }

  /** Closures (executed, no penalty, transferred) are in the record, beside the penalty they may have carried. */
  @EventPattern(CaseClosedV1.type)
  async caseClosed(@Payload() event: CaseClosedV1, @Ctx() context: InboxContext) {
    await this.record(context, event.uscc, 'case_closure', new Date(event.closedAt), caseClosureFact(event));
  }

  /** Suspensions, revocations, expiries and restorations at the approver, read from the approver's own event. */
  @EventPattern(LicenceStatusChangedV1.type)
  async licenceStatusChanged(@Payload() event: LicenceStatusChangedV1, @Ctx() context: InboxContext) {
    await this.record(context, event.uscc, 'licence_status', new Date(event.changedAt), licenceStatusFact(event));
  }

  /**
   * One entry per source event. The inbox already drops a redelivery; the unique source event id also
   * keeps a re-driven event from being recorded twice after the inbox row was purged.
   */
  private async record(context: InboxContext, uscc: string, kind: CreditEntryKind, occurredAt: Date, detail: CreditFactDetail) {
    await this.records.recordConductFact(
      context.manager,
      uscc,
      { kind, sourceEventId: context.envelope.id, correlationId: context.correlationId, occurredAt, detail },
      (type, data) => context.emit(type, { subject: uscc, data }),
    );
  }
}
