import { randomUUID } from 'node:crypto';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CaseOpenedV1, InspectionRecordedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { EnforcementCase } from '../enforcement-case.entity';

/**
 * The case an inspection calls for, or null when it calls for none: only a non-compliant result with
 * violations opens a case, handled by the department that inspected.
 */
export function caseFromInspection(event: InspectionRecordedV1, correlationId: string, openedAt: Date): EnforcementCase | null {
  if (event.result !== 'non_compliant' || event.violations.length === 0) return null;
  return Object.assign(new EnforcementCase(), {
    id: randomUUID(),
    correlationId,
    uscc: event.uscc,
    approvalId: event.approvalId ?? null,
    inspectionId: event.inspectionId,
    department: event.department,
    status: 'opened',
    violationCodes: [...new Set(event.violations.map((violation) => violation.code))],
    openedAt,
    decidedAt: null,
  } satisfies EnforcementCase);
}

/** Violations found by an inspection open an enforcement case (supervision → enforcement). */
@Controller()
export class OpenCaseFromInspectionMessageController {
  private readonly log = new Logger(OpenCaseFromInspectionMessageController.name);

  @EventPattern(InspectionRecordedV1.type)
  async inspectionRecorded(@Payload() event: InspectionRecordedV1, @Ctx() context: InboxContext) {
    const enforcementCase = caseFromInspection(event, context.correlationId, new Date());
    if (!enforcementCase) {
      if (event.result === 'non_compliant') {
        this.log.warn(`inspection ${event.inspectionId} is non-compliant but names no violation: no case opened`);
      }
      return;
    }
    // One case per inspection, even if the inspection reaches us again under another event id.
    if (await context.manager.existsBy(EnforcementCase, { inspectionId: event.inspectionId })) return;
    await context.manager.insert(EnforcementCase, enforcementCase);
    await context.emit(CaseOpenedV1, {
      subject: enforcementCase.uscc,
      data: {
        caseId: enforcementCase.id,
        uscc: enforcementCase.uscc,
        ...(enforcementCase.approvalId ? { approvalId: enforcementCase.approvalId } : {}),
        inspectionId: event.inspectionId,
        department: enforcementCase.department,
        violationCodes: enforcementCase.violationCodes,
      },
    });
  }
}
