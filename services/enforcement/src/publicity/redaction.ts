import type { EnforcementCase } from '../cases/enforcement-case.entity';
import type { PenaltyDecision } from '../cases/penalty-decision.entity';

/**
 * An individual business (个体工商户: USCC registration authority 9, type 2) is a natural person's
 * business: its code is masked on the public list (personal privacy), keeping the region and check.
 */
export function publicUscc(uscc: string): string {
  return uscc.startsWith('92') ? `${uscc.slice(0, 8)}*********${uscc.slice(17)}` : uscc;
}

/**
 * What the public sees of a decision (行政执法公示, "except state secrets, trade secrets, personal
 * privacy"). Published: decision number, the entity's USCC (masked for individual businesses), the
 * deciding department, violation codes, penalty kinds and amounts, the licence action and its date,
 * the decision time, the publication end and the record head anchored at decision time. Never
 * published: names of natural persons (investigator, reviewer, officers, complainants), evidence and
 * every free text (the licence action's reason, opinions, notes), which may carry personal data or
 * trade secrets, and internal ids other than the case's.
 */
export function publicDecisionView(enforcementCase: EnforcementCase, decision: PenaltyDecision) {
  return {
    decisionNumber: decision.decisionNumber,
    caseId: enforcementCase.id,
    uscc: publicUscc(enforcementCase.uscc),
    department: decision.decidedBy,
    violationCodes: enforcementCase.violationCodes,
    penalties: decision.penalties.map(({ kind, amount }) => (amount === undefined ? { kind } : { kind, amount })),
    licenceAction: decision.licenceAction
      ? { action: decision.licenceAction.action, ...(decision.licenceAction.until ? { until: decision.licenceAction.until } : {}) }
      : null,
    decidedAt: decision.decidedAt,
    publishUntil: decision.publishUntil ?? null,
    /** When the entity's credit was repaired for this decision (信用修复, shown while it stays published). */
    creditRepairedAt: decision.repairedAt ?? null,
    recordHead: { seq: decision.logHeadSeq ?? 0, hash: decision.logHeadHash ?? null },
  };
}

export type PublicDecisionView = ReturnType<typeof publicDecisionView>;
