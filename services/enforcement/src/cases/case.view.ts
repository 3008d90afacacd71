import type { EnforcementCase } from './enforcement-case.entity';
import type { PenaltyDecision } from './penalty-decision.entity';

/** How a case is shown to its callers: the case, and its decision once there is one. */
export function caseView(enforcementCase: EnforcementCase, decision: PenaltyDecision | null = null) {
  return {
    id: enforcementCase.id,
    correlationId: enforcementCase.correlationId,
    uscc: enforcementCase.uscc,
    approvalId: enforcementCase.approvalId,
    inspectionId: enforcementCase.inspectionId,
    department: enforcementCase.department,
    status: enforcementCase.status,
    violationCodes: enforcementCase.violationCodes,
    openedAt: enforcementCase.openedAt,
    decidedAt: enforcementCase.decidedAt,
    decision: decision
      ? {
          id: decision.id,
          decisionNumber: decision.decisionNumber,
          penalties: decision.penalties,
          licenceAction: decision.licenceAction,
          decidedBy: decision.decidedBy,
          decidedAt: decision.decidedAt,
        }
      : null,
  };
}

export type CaseView = ReturnType<typeof caseView>;
