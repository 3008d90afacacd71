import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { InspectionRecordedV1, InspectionRecordedV2 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { CaseWorkflow, contextEmit, NewCase } from '../case-workflow.service';
import { EnforcementCase } from '../enforcement-case.entity';

/**
 * The case an inspection calls for, or null when it calls for none: only a non-compliant result with
 * violations opens a case, handled by the department that inspected.
 */
export function caseFromInspection(event: InspectionRecordedV1, correlationId: string): NewCase | null {
  if (event.result !== 'non_compliant' || event.violations.length === 0) return null;
  return {
    correlationId,
    uscc: event.uscc,
    approvalId: event.approvalId ?? null,
    inspectionId: event.inspectionId,
    department: event.department,
    violationCodes: [...new Set(event.violations.map((violation) => violation.code))],
    source: 'inspection',
    sourceKey: `inspection:${event.inspectionId}`,
  };
}

/**
 * v2, for ad-hoc and random inspections alike: only `further_handling` (发现问题待后续处理) with
 * violations opens a case; a problem corrected on the spot (`ordered_to_correct`) does not.
 */
export function caseFromInspectionV2(event: InspectionRecordedV2, correlationId: string): NewCase | null {
  if (event.category !== 'further_handling' || event.violations.length === 0) return null;
  return {
    correlationId,
    uscc: event.uscc,
    approvalId: event.approvalId ?? null,
    inspectionId: event.inspectionId,
    department: event.department,
    violationCodes: [...new Set(event.violations.map((violation) => violation.code))],
    source: 'inspection',
    sourceKey: `inspection:${event.inspectionId}`,
  };
}

/** Violations found by an inspection open an enforcement case (supervision or random inspection → enforcement). */
@Controller()
export class OpenCaseFromInspectionMessageController {
  private readonly log = new Logger(OpenCaseFromInspectionMessageController.name);

  constructor(private readonly workflow: CaseWorkflow) {}

  @EventPattern(InspectionRecordedV2.type)
  async inspectionRecordedV2(@Payload() event: InspectionRecordedV2, @Ctx() context: InboxContext) {
    const init = caseFromInspectionV2(event, context.correlationId);
    if (init) await this.open(init, { ...event, inspector: event.inspectors.join('、') }, context);
  }

  @EventPattern(InspectionRecordedV1.type)
  async inspectionRecorded(@Payload() event: InspectionRecordedV1, @Ctx() context: InboxContext) {
    const init = caseFromInspection(event, context.correlationId);
    if (!init) {
      if (event.result === 'non_compliant') {
        this.log.warn(`inspection ${event.inspectionId} is non-compliant but names no violation: no case opened`);
      }
      return;
    }
    await this.open(init, event, context);
  }

  private async open(
    init: NewCase,
    event: Pick<InspectionRecordedV1, 'inspectionId' | 'department' | 'inspector' | 'inspectedAt' | 'violations'>,
    context: InboxContext,
  ) {
    // One case per inspection, even if the inspection reaches us again under another event id.
    if (await context.manager.existsBy(EnforcementCase, { inspectionId: event.inspectionId })) return;
    await this.workflow.open(
      context.manager,
      init,
      { department: event.department, person: event.inspector },
      {
        inspectionId: event.inspectionId,
        inspectedAt: event.inspectedAt,
        violations: event.violations.map(({ code, description }) => ({ code, description })),
        eventId: context.envelope.id,
      },
      contextEmit(context),
    );
  }
}
