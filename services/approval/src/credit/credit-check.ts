import type { ApprovalKind, ApprovalOutcome, CreditList, CreditTier, JointPunishmentMeasure } from '@backbone/contracts';
import { ApprovalError } from '../approval.errors';

export type CreditCheckResult = 'accepted' | 'flagged' | 'refused';

export interface CreditStandingSnapshot {
  tier: CreditTier;
  lists: readonly CreditList[];
  measures: readonly JointPunishmentMeasure[];
}

export interface CreditCheckDecision {
  result: CreditCheckResult;
  /** Stable code of a refusal or flag. */
  code: string | null;
  reason: string;
}

const MEASURE_NAMES: Partial<Record<JointPunishmentMeasure, string>> = {
  no_commitment_approval: '不适用告知承诺制',
  stricter_review: '从严审核',
};

function lists(standing: CreditStandingSnapshot): string {
  return standing.lists.length > 0 ? `list(s) ${standing.lists.join(', ')}` : 'no list';
}

/**
 * Check on every application (逢办必查) and joint punishment (联合惩戒), as a pure rule:
 * - `no_commitment_approval` refuses a commitment-based grant (告知承诺制 is not open to the entity);
 * - `stricter_review` accepts the application but flags it for stricter review;
 * - otherwise (or without any credit record held) the application is accepted.
 * A refusal decision (outcome refused) grants nothing, so no measure stops it being recorded.
 */
export function decideCreditCheck(
  standing: CreditStandingSnapshot | null,
  application: { kind: ApprovalKind; outcome: ApprovalOutcome },
): CreditCheckDecision {
  if (!standing) return { result: 'accepted', code: null, reason: 'no credit record held for the entity: no restriction' };
  const granted = application.outcome === 'granted';
  if (granted && application.kind === 'commitment' && standing.measures.includes('no_commitment_approval')) {
    return {
      result: 'refused',
      code: ApprovalError.JOINT_PUNISHMENT_NO_COMMITMENT,
      reason:
        `the entity is on ${lists(standing)} (tier ${standing.tier}) with joint-punishment measure no_commitment_approval ` +
        `(${MEASURE_NAMES.no_commitment_approval}): a commitment-based approval cannot be granted`,
    };
  }
  if (granted && standing.measures.includes('stricter_review')) {
    return {
      result: 'flagged',
      code: ApprovalError.JOINT_PUNISHMENT_STRICTER_REVIEW,
      reason: `the entity is on ${lists(standing)} (tier ${standing.tier}) with joint-punishment measure stricter_review (${MEASURE_NAMES.stricter_review})`,
    };
  }
  return { result: 'accepted', code: null, reason: `tier ${standing.tier}, ${lists(standing)}: no measure restricts this application` };
}
