import type { EntityManager } from 'typeorm';
import type { RiskWarningLevel, RiskWarningScopeV1 } from '@backbone/contracts';
import { STRATA, Stratum } from '../draws/canonical-pool';

/** A risk warning that raised a task's ratios when its pool was frozen. */
export interface AppliedRiskWarning {
  warningId: string;
  reference: string;
  level: RiskWarningLevel;
  /** The level's multiplier (RISK_WARNING_RATIO_PERCENT), in percent. */
  ratioPercent: number;
}

/**
 * The multipliers a task draws with under risk warnings (docs/domain.md §8): every stratum at least the
 * most serious applicable warning's percent; a task's own higher multiplier stays. No warning: the task's own.
 */
export function withWarningMultipliers(
  own: Partial<Record<Stratum, number>>,
  applied: readonly AppliedRiskWarning[],
): Partial<Record<Stratum, number>> {
  if (applied.length === 0) return own;
  const percent = Math.max(...applied.map((warning) => warning.ratioPercent));
  const result: Partial<Record<Stratum, number>> = {};
  for (const stratum of STRATA) result[stratum] = Math.max(own[stratum] ?? 100, percent);
  return result;
}

/**
 * The warnings active at `at` whose scope meets the pool (at least one pool entity in scope: a listed
 * entity, or one meeting every dimension given: region prefix, an active licence of the items, industry).
 * `pool` is the pool's condition on `target_entity t` with its parameters from $1 on.
 */
export async function warningsOverPool(
  manager: EntityManager,
  pool: { sql: string; params: unknown[] },
  percents: Record<RiskWarningLevel, number>,
  at: Date,
): Promise<AppliedRiskWarning[]> {
  const active: { id: string; reference: string; level: RiskWarningLevel; scope: RiskWarningScopeV1 }[] = await manager.query(
    `SELECT id, reference, level, scope FROM risk_warning WHERE ended_at IS NULL AND starts_at <= $1 AND ends_at > $1 ORDER BY raised_at, id`,
    [at],
  );
  const applied: AppliedRiskWarning[] = [];
  for (const warning of active) {
    const { usccs, regionPrefixes, licenceItemCodes, industries } = warning.scope;
    const n = pool.params.length;
    const [{ meets }] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM target_entity t WHERE ${pool.sql} AND (t.uscc = ANY ($${n + 1}::text[]) OR ($${n + 2}::boolean
         AND (cardinality($${n + 3}::text[]) = 0 OR t.region_code LIKE ANY ($${n + 3}::text[]))
         AND (cardinality($${n + 4}::text[]) = 0 OR EXISTS (SELECT 1 FROM target_licence l
               WHERE l.uscc = t.uscc AND l.status = 'active' AND l.item_code = ANY ($${n + 4}::text[])))
         AND (cardinality($${n + 5}::text[]) = 0 OR t.industry = ANY ($${n + 5}::text[]))))) AS meets`,
      [
        ...pool.params,
        usccs,
        regionPrefixes.length + licenceItemCodes.length + industries.length > 0,
        regionPrefixes.map((prefix) => `${prefix}%`),
        licenceItemCodes,
        industries,
      ],
    );
    if (meets)
      applied.push({ warningId: warning.id, reference: warning.reference, level: warning.level, ratioPercent: percents[warning.level] });
  }
  return applied;
}
