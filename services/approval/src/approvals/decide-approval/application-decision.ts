import { randomUUID } from 'node:crypto';
import { strongestRiskWarning, type HeldRiskWarning, type RiskWarningLevel } from '@backbone/contracts';
import { decideCreditCheck, decideFastTrack, type CreditCheckResult, type CreditStandingSnapshot } from '../../credit/credit-check';
import type { CreditCheck } from '../../credit/credit-check.entity';
import { holdReason } from '../../holds/hold-rule';
import { decideRiskReview, type RiskReviewDecision } from '../../risk-warnings/risk-review';
import type { Approval } from '../approval.entity';
import type { DecideApprovalRequest } from './decide-approval.request.dto';

/** What the approver's database holds about an application's entity when it is decided (one lookup: application-facts.ts). */
export interface ApplicationFacts {
  standing: CreditStandingSnapshot | null;
  redList: { onRedList: boolean; incentives: readonly string[] } | null;
  /** Open enforcement cases of the entity, oldest first; looked up only when the application could be held. */
  openCaseIds: readonly string[];
  /** Active warnings that may cover the application (narrowed in SQL; the rule decides which one applies). */
  warnings: ReadonlyArray<HeldRiskWarning & { reference: string }>;
}

export interface DecisionPolicy {
  holdItems: ReadonlySet<string>;
  noCommitmentLevels: ReadonlySet<RiskWarningLevel>;
}

/** A credit check as written (its id is the database's). */
export type CreditCheckValues = Omit<CreditCheck, 'id'>;

/** The columns of a new approval row, as the entity declares them (created/updated at are the database's). */
export type NewApproval = Omit<Approval, 'createdAt' | 'updatedAt'>;

export type ApplicationDecision =
  | { refused: true; check: CreditCheckValues }
  | {
      refused: false;
      approval: NewApproval;
      check: CreditCheckValues;
      /** Stored, not published (an open case of the entity). */
      held: boolean;
      /** The review under a risk warning, announced as ApprovalRiskReviewedV1; null when no warning applies. */
      riskReviewedAt: Date | null;
    };

/** Whether an application could be held: a grant of an item held during open cases (only then are its cases looked up and its entity locked). */
export function mayBeHeld(
  policy: Pick<DecisionPolicy, 'holdItems'>,
  request: Pick<DecideApprovalRequest, 'itemCode' | 'outcome'>,
): boolean {
  return holdReason(policy.holdItems, request, ['?']) !== undefined;
}

/**
 * Decides a new application from what is known about its entity, as a pure function: the credit check
 * (逢办必查, joint punishment), the review under an active risk warning (docs/domain.md §8), the red-list
 * fast track, and the hold while the entity has an open case. Writes nothing: the caller writes the
 * check, and for an approval the approval, its `decided` event (unless held) and its risk review.
 */
export function decideApplication(
  policy: DecisionPolicy,
  approverDepartment: string,
  request: DecideApprovalRequest,
  facts: ApplicationFacts,
  checkedAt: Date,
): ApplicationDecision {
  const { standing } = facts;
  const credit = decideCreditCheck(standing, request);
  const warning = strongestRiskWarning(
    facts.warnings,
    { uscc: request.uscc, regionCode: request.regionCode, itemCode: request.itemCode },
    checkedAt,
  );
  const risk = decideRiskReview(warning, request, policy.noCommitmentLevels);
  // A credit refusal stands; otherwise a risk refusal refuses; a flag of either flags.
  const checked: { result: string; code: string | null; reason: string } =
    credit.result === 'refused' || risk.result === 'none' ? credit : risk.result === 'refused' ? risk : flagged(credit, risk);
  const fast = decideFastTrack(checked, facts.redList, request);
  const decision = fast.fastTrack ? { ...checked, code: fast.code, reason: `${checked.reason}; ${fast.reason}` } : checked;
  const check: CreditCheckValues = {
    uscc: request.uscc,
    applicationNumber: request.applicationNumber,
    department: approverDepartment,
    kind: request.kind,
    tier: standing?.tier ?? null,
    lists: standing ? [...standing.lists] : [],
    measures: standing ? [...standing.measures] : [],
    result: decision.result as CreditCheckResult,
    code: decision.code,
    reason: decision.reason,
    approvalId: null,
    at: checkedAt,
  };
  if (decision.result === 'refused') return { refused: true, check };
  const held = holdReason(policy.holdItems, request, facts.openCaseIds);
  const granted = request.outcome === 'granted';
  const riskWarning =
    warning && risk.result === 'flagged'
      ? { warningId: warning.warningId, reference: warning.reference, level: warning.level, reason: risk.reason }
      : null;
  const approval: NewApproval = {
    id: randomUUID(),
    version: 1,
    correlationId: randomUUID(),
    applicationNumber: request.applicationNumber,
    uscc: request.uscc,
    entityName: request.entityName,
    itemCode: request.itemCode,
    regionCode: request.regionCode,
    approverDepartment,
    kind: request.kind,
    outcome: request.outcome,
    licenceNumber: granted ? (request.licenceNumber ?? null) : null,
    licenceStatus: granted ? 'active' : 'none',
    suspendedUntil: null,
    decidedAt: request.decidedAt ? new Date(request.decidedAt) : checkedAt,
    validUntil: request.validUntil ? new Date(request.validUntil) : null,
    supervisionStatus: 'awaiting_assignment',
    supervisingDepartment: null,
    taskId: null,
    claimedAt: null,
    delegation: request.delegation ? { ...request.delegation } : null,
    entrustment: request.entrustment ? { ...request.entrustment } : null,
    publicationStatus: held ? 'held' : 'published',
    heldReason: held ?? null,
    heldSince: held ? checkedAt : null,
    releasedAt: null,
    stricterReview: decision.result === 'flagged',
    fastTrack: fast.fastTrack,
    creditCheckReason: fast.fastTrack ? `${credit.reason}; ${fast.reason}` : credit.reason,
    riskWarning,
    stillSupervised: null,
    lastChange: null,
    rectificationDeadline: null,
    rectificationReason: null,
    claimDeadline: null,
    claimRemindedAt: null,
    escalatedAt: null,
    returnedReason: null,
    closedReason: null,
  };
  check.approvalId = approval.id;
  return { refused: false, approval, check, held: held !== undefined, riskReviewedAt: riskWarning ? checkedAt : null };
}

/** Both checks flag or accept: the credit check's flag and reason first, the warning's after. */
function flagged(credit: { result: string; code: string | null; reason: string }, risk: RiskReviewDecision) {
  if (credit.result !== 'flagged') return risk;
  return { result: 'flagged', code: credit.code, reason: `${credit.reason}; ${risk.reason}` };
}
