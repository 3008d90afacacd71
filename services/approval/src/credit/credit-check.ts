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

/**
 * Red list incentive (守信激励, docs/domain.md §6): an application the check accepted outright, from an
 * entity on the red list with incentive `fast_track_approval`, goes on the fast track (绿色通道, 容缺受理).
 * A flag (joint punishment, risk warning) or a refusal always wins over it.
 */
export function decideFastTrack(
  decision: { result: string },
  redList: { onRedList: boolean; incentives: readonly string[] } | null,
  application: { outcome: ApprovalOutcome },
): { fastTrack: boolean; code: string | null; reason: string | null } {
  if (decision.result !== 'accepted' || application.outcome !== 'granted' || !redList?.onRedList) {
    return { fastTrack: false, code: null, reason: null };
  }
  if (!redList.incentives.includes('fast_track_approval')) return { fastTrack: false, code: null, reason: null };
  return {
    fastTrack: true,
    code: ApprovalError.RED_LIST_FAST_TRACK,
    reason: 'the entity is on the red list (守信激励): fast track (绿色通道, 容缺受理)',
  };
}
