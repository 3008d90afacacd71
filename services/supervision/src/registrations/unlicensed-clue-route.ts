import type { UnlicensedBasis } from '@backbone/contracts';
import { regionAncestors } from '../catalog/route-approval';

export interface UnlicensedFinding {
  /** Whether the entity holds a business licence (营业执照). */
  hasBusinessLicence: boolean;
  /** The licence item it operates without, when a permit (许可证) is missing. */
  itemCode?: string;
  regionCode: string;
}

export interface CompetentRule {
  itemCode: string;
  regionCode: string;
  competentDepartment: string;
}

export type ClueRoute = { routed: true; department: string; basis: UnlicensedBasis } | { routed: false; reason: string };

/**
 * Who receives a clue of unlicensed operation (无证无照经营, docs/domain.md §1; 000 三(二)1):
 * - no business licence, but the permit is not in question → the market regulator;
 * - a business licence but no permit → the department the law names for the licence item;
 * - neither → handled as "no permit": the department the law names (the market regulator only when no
 *   item is named).
 */
export function routeUnlicensedClue(finding: UnlicensedFinding, rules: CompetentRule[], marketRegulator: string): ClueRoute {
  const named = finding.itemCode
    ? regionAncestors(finding.regionCode)
        .map((region) => rules.find((rule) => rule.itemCode === finding.itemCode && rule.regionCode === region))
        .find((rule) => rule !== undefined)
    : undefined;
  if (!finding.hasBusinessLicence && !finding.itemCode) return { routed: true, department: marketRegulator, basis: 'no_business_licence' };
  if (!finding.itemCode)
    return { routed: false, reason: 'itemCode: required when the entity holds a business licence (the clue is about a missing permit)' };
  if (!named)
    return { routed: false, reason: `no department is named for licence item ${finding.itemCode} in region ${finding.regionCode}` };
  return { routed: true, department: named.competentDepartment, basis: 'no_permit' };
}
