import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { InspectionRecordedV1 } from '@backbone/contracts';
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

/** Violations found by an inspection open an enforcement case (supervision → enforcement). */
@Controller()
export class OpenCaseFromInspectionMessageController {
  private readonly log = new Logger(OpenCaseFromInspectionMessageController.name);

  constructor(private readonly workflow: CaseWorkflow) {}

  @EventPattern(InspectionRecordedV1.type)
  async inspectionRecorded(@Payload() event: InspectionRecordedV1, @Ctx() context: InboxContext) {
    const init = caseFromInspection(event, context.correlationId);
    if (!init) {
      if (event.result === 'non_compliant') {
        this.log.warn(`inspection ${event.inspectionId} is non-compliant but names no violation: no case opened`);
      }
      return;
    }
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
