import type { RoutingRule } from '@backbone/contracts';
import type { CatalogEntry } from './catalog-entry.entity';

export interface ApprovalToRoute {
  itemCode: string;
  regionCode: string;
  approverDepartment: string;
}

export type RoutingDecision =
  | { routed: true; department: string; rule: RoutingRule; entry: CatalogEntry }
  | { routed: false; reason: string };

/** The division itself, then its city, then its province: the most specific catalog entry wins. */
export function regionAncestors(regionCode: string): string[] {
  const city = `${regionCode.slice(0, 4)}00`;
  const province = `${regionCode.slice(0, 2)}0000`;
  return [...new Set([regionCode, city, province])];
}

/**
 * Who supervises an approval (DOMAIN.md §1): integrated items → the approving department;
 * separated items → the industry authority named in the entry. No entry: a supervision vacuum.
 */
export function routeApproval(approval: ApprovalToRoute, entries: CatalogEntry[]): RoutingDecision {
  const candidates = entries.filter((entry) => entry.itemCode === approval.itemCode);
  const entry = regionAncestors(approval.regionCode)
    .map((region) => candidates.find((candidate) => candidate.regionCode === region))
    .find((found) => found !== undefined);
  if (!entry) {
    return {
      routed: false,
      reason: `no catalog entry for item ${approval.itemCode} in region ${approval.regionCode} or the regions above it`,
    };
  }
  if (entry.mode === 'integrated') return { routed: true, department: approval.approverDepartment, rule: 'integrated', entry };
  if (!entry.supervisingDepartment) {
    return { routed: false, reason: `catalog entry ${entry.id} is separated but names no supervising department` };
  }
  return { routed: true, department: entry.supervisingDepartment, rule: 'separated', entry };
}
