import type { EnforcementCase } from './enforcement-case.entity';
import type { PenaltyDecision } from './penalty-decision.entity';

/** How a case is shown to its callers: the case, its record head, and its decision once there is one. */
export function caseView(enforcementCase: EnforcementCase, decision: PenaltyDecision | null = null) {
  return {
    id: enforcementCase.id,
    correlationId: enforcementCase.correlationId,
    uscc: enforcementCase.uscc,
    approvalId: enforcementCase.approvalId,
    inspectionId: enforcementCase.inspectionId,
    department: enforcementCase.department,
    source: enforcementCase.source ?? null,
    status: enforcementCase.status,
    violationCodes: enforcementCase.violationCodes,
    investigator: enforcementCase.investigator ?? null,
    openedAt: enforcementCase.openedAt,
    decidedAt: enforcementCase.decidedAt,
    closedAt: enforcementCase.closedAt ?? null,
    closeOutcome: enforcementCase.closeOutcome ?? null,
    transferredTo: enforcementCase.transferredTo ?? null,
    record: { length: enforcementCase.logHeadSeq ?? 0, headHash: enforcementCase.logHeadHash ?? null },
    decision: decision
      ? {
          id: decision.id,
          decisionNumber: decision.decisionNumber,
          penalties: decision.penalties,
          licenceAction: decision.licenceAction,
          decidedBy: decision.decidedBy,
          decidedAt: decision.decidedAt,
          severity: decision.severity ?? null,
          major: decision.major ?? false,
          legalReviewId: decision.legalReviewId ?? null,
          recordHead: { seq: decision.logHeadSeq ?? 0, hash: decision.logHeadHash ?? null },
          publishUntil: decision.publishUntil ?? null,
          /** The credit repair that covered the penalty, and whether it took the decision off the public list. */
          creditRepair: decision.repairedAt
            ? { repairId: decision.repairId ?? null, repairedAt: decision.repairedAt, withdrawnAt: decision.publicityWithdrawnAt ?? null }
            : null,
        }
      : null,
  };
}

export type CaseView = ReturnType<typeof caseView>;
