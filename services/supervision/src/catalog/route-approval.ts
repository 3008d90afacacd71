import type { ApprovalKind, RoutingRule } from '@backbone/contracts';
import type { CatalogEntry } from './catalog-entry.entity';

/**
 * Which rule of docs/domain.md §1 decided the supervising department:
 * integrated (审管一体) → the approver; separated (审管分离) → the industry authority;
 * cancelled_still_supervised, filing, commitment → the industry authority, on the filing/commitment contents.
 */
export const ROUTING_BASES = ['integrated', 'separated', 'cancelled_still_supervised', 'filing', 'commitment'] as const;
export type RoutingBasis = (typeof ROUTING_BASES)[number];

export interface ApprovalToRoute {
  itemCode: string;
  regionCode: string;
  approverDepartment: string;
  kind?: ApprovalKind;
  /** When the approval was decided: only entries in effect then are used. */
  decidedAt?: string | Date;
  /** Approval power delegated down a level (审批权限下放): the supervising level follows it. */
  delegation?: { fromRegionCode: string; fromDepartment: string };
  /** Entrusted approval (委托审批). */
  entrustment?: { entrustingDepartment: string; agreement: string };
  /** A cancelled approval whose activity stays under supervision. */
  cancelledStillSupervised?: boolean;
}

export type RoutingDecision =
  { routed: true; department: string; rule: RoutingRule; basis: RoutingBasis; entry: CatalogEntry } | { routed: false; reason: string };

/** The division itself, then its city, then its province: the most specific catalog entry wins. */
export function regionAncestors(regionCode: string): string[] {
  const city = `${regionCode.slice(0, 4)}00`;
  const province = `${regionCode.slice(0, 2)}0000`;
  return [...new Set([regionCode, city, province])];
}

/** Whether an entry is in effect at an instant (from inclusive, to exclusive). */
export function entryInEffect(entry: CatalogEntry, at: Date): boolean {
  return entry.effectiveFrom.getTime() <= at.getTime() && (entry.effectiveTo === null || entry.effectiveTo.getTime() > at.getTime());
}

/** Whether an entry covers an approval item in a region (its own or one under it). */
export function entryCovers(entry: CatalogEntry, itemCode: string, regionCode: string): boolean {
  return entry.approvalItemCodes.includes(itemCode) && regionAncestors(regionCode).includes(entry.regionCode);
}

function basisOf(approval: ApprovalToRoute, entry: CatalogEntry): RoutingBasis {
  if (approval.cancelledStillSupervised) return 'cancelled_still_supervised';
  if (approval.kind === 'filing') return 'filing';
  if (approval.kind === 'commitment') return 'commitment';
  return entry.mode;
}

/**
 * Who supervises an approval (docs/domain.md §1; 000 三(一)2, 001 三(一)2):
 * - integrated item → the approving department (for an entrusted approval: the entrusting department,
 *   in whose name the approval was made; the relationship is recorded on the task);
 * - separated item → the industry authority named in the entry;
 * - approval cancelled but still supervised, or replaced by a filing or a commitment → the industry
 *   authority, on the filing/commitment contents (for an integrated item the approver is that authority);
 * - delegated approval power → the supervising level follows: only an entry at the approving level may name
 *   the department of a separated item, never one of the level the power came from;
 * - no entry in effect → a supervision vacuum, with the reason.
 */
export function routeApproval(approval: ApprovalToRoute, entries: CatalogEntry[]): RoutingDecision {
  const at = approval.decidedAt ? new Date(approval.decidedAt) : new Date();
  const candidates = entries.filter((entry) => entry.approvalItemCodes.includes(approval.itemCode) && entryInEffect(entry, at));
  const entry = regionAncestors(approval.regionCode)
    .map((region) => candidates.find((candidate) => candidate.regionCode === region))
    .find((found) => found !== undefined);
  if (!entry) {
    return {
      routed: false,
      reason: `no catalog entry for item ${approval.itemCode} in region ${approval.regionCode} or the regions above it`,
    };
  }
  const basis = basisOf(approval, entry);
  const approver = approval.entrustment?.entrustingDepartment ?? approval.approverDepartment;
  if (entry.mode === 'integrated') {
    // The approver is the industry authority of an integrated item, also for filings and commitments.
    return {
      routed: true,
      department: entry.supervisingDepartment && basis !== 'integrated' ? entry.supervisingDepartment : approver,
      rule: 'integrated',
      basis,
      entry,
    };
  }
  if (!entry.supervisingDepartment) {
    return { routed: false, reason: `catalog entry ${entry.id} is separated but names no supervising department` };
  }
  if (approval.delegation && entry.regionCode !== approval.regionCode) {
    return {
      routed: false,
      reason:
        `approval power for item ${approval.itemCode} was delegated from ${approval.delegation.fromRegionCode} to ${approval.regionCode}; ` +
        `the catalog names a supervising department only at ${entry.regionCode}, not at the approving level`,
    };
  }
  return { routed: true, department: entry.supervisingDepartment, rule: 'separated', basis, entry };
}
