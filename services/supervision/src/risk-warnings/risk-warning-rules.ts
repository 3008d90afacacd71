import type { RiskWarningLevel, RiskWarningScopeV1 } from '@backbone/contracts';
import { DomainError } from '@backbone/platform';
import { SupervisionError } from '../supervision.errors';

/**
 * The rules of risk warnings that supervision keeps (docs/domain.md §8), as pure functions.
 */

/** The scope names something an approval can be matched on: a region, a licence item or an entity. */
export function assertScopeUsable(scope: RiskWarningScopeV1): void {
  if (scope.regionPrefixes.length + scope.licenceItemCodes.length + scope.usccs.length === 0) {
    throw new DomainError(
      SupervisionError.RISK_WARNING_SCOPE_EMPTY,
      'scope: name at least one region prefix, licence item or listed entity (an empty scope would cover everything)',
      422,
    );
  }
  if (scope.industries.length > 0 && scope.licenceItemCodes.length === 0) {
    throw new DomainError(
      SupervisionError.RISK_WARNING_INDUSTRY_WITHOUT_ITEMS,
      'scope.licenceItemCodes: a scope naming industries names their licence items too (approval and supervision know an approval’s item, not the entity’s industry)',
      422,
    );
  }
}

/**
 * Working days to claim a new task in the scope of a warning: the catalog's days, capped by the level's
 * (RISK_WARNING_CLAIM_DAYS), never below one working day.
 */
export function claimDaysUnderWarning(normalDays: number, level: RiskWarningLevel, caps: Record<RiskWarningLevel, number>): number {
  return Math.max(1, Math.min(normalDays, caps[level]));
}

/** The divisions a catalog entry covers, as a code prefix: a province xx0000 → xx, a city xxxx00 → xxxx, a county → all six. */
export function coveragePrefix(regionCode: string): string {
  if (regionCode.endsWith('0000')) return regionCode.slice(0, 2);
  if (regionCode.endsWith('00')) return regionCode.slice(0, 4);
  return regionCode;
}

/**
 * Whether a catalog entry (its approval items, its region) supervises part of the scope by its region and
 * items: its supervising department is notified. Listed entities are matched through their tasks instead.
 */
export function entryTouchesScope(entry: { approvalItemCodes: string[]; regionCode: string }, scope: RiskWarningScopeV1): boolean {
  if (scope.regionPrefixes.length + scope.licenceItemCodes.length === 0) return false;
  if (scope.licenceItemCodes.length > 0 && !entry.approvalItemCodes.some((code) => scope.licenceItemCodes.includes(code))) return false;
  const covered = coveragePrefix(entry.regionCode);
  return (
    scope.regionPrefixes.length === 0 || scope.regionPrefixes.some((prefix) => prefix.startsWith(covered) || covered.startsWith(prefix))
  );
}
