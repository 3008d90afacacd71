import type { ApprovalKind, ApprovalOutcome, RiskWarningLevel } from '@backbone/contracts';
import { ApprovalError } from '../approval.errors';

export interface RiskReviewDecision {
  result: 'none' | 'flagged' | 'refused';
  code: string | null;
  reason: string;
}

/**
 * Stricter review of an application in the scope of an active risk warning (docs/domain.md §8), as a
 * pure rule:
 * - no warning covers it, or it is a refusal (it grants nothing): no effect;
 * - a commitment-based grant (告知承诺制) under a warning whose level is one of `noCommitmentLevels`
 *   (RISK_WARNING_NO_COMMITMENT_LEVELS, default orange and red) is refused: in the scope of a serious
 *   warning the conditions are verified before the licence, not after;
 * - any other grant is recorded, flagged for stricter review (从严审核) and announced (ApprovalRiskReviewedV1).
 */
export function decideRiskReview(
  warning: { warningId: string; reference: string; level: RiskWarningLevel } | null,
  application: { kind: ApprovalKind; outcome: ApprovalOutcome },
  noCommitmentLevels: ReadonlySet<RiskWarningLevel>,
): RiskReviewDecision {
  if (!warning || application.outcome !== 'granted')
    return { result: 'none', code: null, reason: 'no active risk warning covers the application' };
  const named = `risk warning ${warning.reference} (${warning.level})`;
  if (application.kind === 'commitment' && noCommitmentLevels.has(warning.level)) {
    return {
      result: 'refused',
      code: ApprovalError.RISK_WARNING_NO_COMMITMENT,
      reason: `${named} covers the application: a commitment-based approval (告知承诺制) cannot be granted in its scope while it is active`,
    };
  }
  return {
    result: 'flagged',
    code: ApprovalError.RISK_WARNING_STRICTER_REVIEW,
    reason: `${named} covers the application: flagged for stricter review (从严审核)`,
  };
}
