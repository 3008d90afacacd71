import type { PenaltyKind } from '@backbone/contracts';
import type { Penalty } from '../cases/penalty-decision.entity';

/** Penalty kinds that make a decision major (重大执法决定) whatever their amount. */
export const MAJOR_PENALTY_KINDS: readonly PenaltyKind[] = [
  'licence_suspension',
  'licence_revocation',
  'business_suspension',
  'industry_ban',
];

/**
 * Why a decision is major, or [] when it is not: fines and confiscations above the threshold (yuan, in
 * total), a licence suspension or revocation, a suspension of production or business, an industry ban.
 * (A transfer to the judicial authorities is major too; see the transfer use case.)
 */
export function majorDecisionReasons(penalties: readonly Penalty[], fineThreshold: number): string[] {
  const reasons: string[] = [];
  const monetary = penalties.filter((p) => p.kind === 'fine' || p.kind === 'confiscation').reduce((sum, p) => sum + (p.amount ?? 0), 0);
  if (monetary > fineThreshold) reasons.push(`fines and confiscations of ${monetary} yuan exceed ${fineThreshold}`);
  for (const kind of MAJOR_PENALTY_KINDS) if (penalties.some((p) => p.kind === kind)) reasons.push(kind);
  return reasons;
}
