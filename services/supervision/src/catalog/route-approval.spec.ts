import { CatalogEntry } from './catalog-entry.entity';
import { ApprovalToRoute, regionAncestors, routeApproval } from './route-approval';

function entry(partial: Partial<CatalogEntry> & { itemCode: string; regionCode: string }): CatalogEntry {
  return Object.assign(new CatalogEntry(), {
    id: `entry-${partial.itemCode}-${partial.regionCode}`,
    approvalItemCodes: [partial.itemCode],
    itemName: 'item',
    claimDeadlineDays: 2,
    verificationDeadlineDays: 20,
    effectiveFrom: new Date('2020-01-01T00:00:00Z'),
    effectiveTo: null,
    version: 1,
    supervisingDepartment: null,
    ...partial,
  });
}

const catalog = [
  entry({ itemCode: 'FOOD', regionCode: '320700', mode: 'separated', supervisingDepartment: '320700-SAMR' }),
  entry({ itemCode: 'FOOD', regionCode: '320703', mode: 'separated', supervisingDepartment: '320703-SAMR' }),
  entry({ itemCode: 'BUILD', regionCode: '320700', mode: 'integrated' }),
  entry({ itemCode: 'HEALTH', regionCode: '320000', mode: 'separated', supervisingDepartment: '320000-HEALTH' }),
  // an integrated item whose industry authority is named for filings, commitments and cancelled approvals
  entry({ itemCode: 'PRINT', regionCode: '320700', mode: 'integrated', supervisingDepartment: '320700-PRESS' }),
  // one entry covering two approval items
  entry({
    itemCode: 'DRUG-SUPERVISION',
    approvalItemCodes: ['DRUG-RETAIL', 'DRUG-WHOLESALE'],
    regionCode: '320700',
    mode: 'separated',
    supervisingDepartment: '320700-MPA',
  }),
  // an entry that was replaced on 2026-01-01 by a new version naming another department
  entry({
    id: 'old-tourism',
    itemCode: 'TOURISM',
    regionCode: '320700',
    mode: 'separated',
    supervisingDepartment: '320700-CULTURE',
    effectiveTo: new Date('2026-01-01T00:00:00+08:00'),
  }),
  entry({
    id: 'new-tourism',
    itemCode: 'TOURISM',
    regionCode: '320700',
    mode: 'separated',
    supervisingDepartment: '320700-TOURISM',
    effectiveFrom: new Date('2026-01-01T00:00:00+08:00'),
  }),
];

const base = { approverDepartment: '320700-APPROVAL', kind: 'licence' as const, decidedAt: '2026-06-01T02:00:00Z' };

/** One row per rule of docs/domain.md §1: approval → department, published rule, basis. */
describe('routing an approval through the catalog (docs/domain.md §1)', () => {
  it.each<[string, ApprovalToRoute, string, string, string]>([
    // 审管一体
    [
      'integrated item: the approver supervises',
      { ...base, itemCode: 'BUILD', regionCode: '320722', approverDepartment: '320722-HOUSING' },
      '320722-HOUSING',
      'integrated',
      'integrated',
    ],
    // 审管分离 (centralized licensing reform)
    [
      'separated item: the industry authority supervises',
      { ...base, itemCode: 'FOOD', regionCode: '320707' },
      '320700-SAMR',
      'separated',
      'separated',
    ],
    ['the most specific region wins', { ...base, itemCode: 'FOOD', regionCode: '320703' }, '320703-SAMR', 'separated', 'separated'],
    [
      'a province entry covers its cities and counties',
      { ...base, itemCode: 'HEALTH', regionCode: '320703' },
      '320000-HEALTH',
      'separated',
      'separated',
    ],
    [
      'an entry covers every approval item it lists',
      { ...base, itemCode: 'DRUG-WHOLESALE', regionCode: '320705' },
      '320700-MPA',
      'separated',
      'separated',
    ],
    // cancelled but still supervised
    [
      'cancelled but still supervised (separated): industry authority',
      { ...base, itemCode: 'FOOD', regionCode: '320707', cancelledStillSupervised: true },
      '320700-SAMR',
      'separated',
      'cancelled_still_supervised',
    ],
    [
      'cancelled but still supervised (integrated): the named industry authority',
      { ...base, itemCode: 'PRINT', regionCode: '320700', cancelledStillSupervised: true },
      '320700-PRESS',
      'integrated',
      'cancelled_still_supervised',
    ],
    // filing / commitment
    [
      'filing: industry authority on the filing contents',
      { ...base, itemCode: 'PRINT', regionCode: '320700', kind: 'filing' },
      '320700-PRESS',
      'integrated',
      'filing',
    ],
    [
      'commitment: industry authority on the commitment contents',
      { ...base, itemCode: 'FOOD', regionCode: '320707', kind: 'commitment' },
      '320700-SAMR',
      'separated',
      'commitment',
    ],
    [
      'filing of an integrated item naming no authority: the approver is the authority',
      { ...base, itemCode: 'BUILD', regionCode: '320700', kind: 'filing' },
      '320700-APPROVAL',
      'integrated',
      'filing',
    ],
    // delegation: the supervising level follows the approving level
    [
      'delegated to a county: the county entry, not the city one',
      {
        ...base,
        itemCode: 'FOOD',
        regionCode: '320703',
        approverDepartment: '320703-APPROVAL',
        delegation: { fromRegionCode: '320700', fromDepartment: '320700-APPROVAL' },
      },
      '320703-SAMR',
      'separated',
      'separated',
    ],
    [
      'delegated integrated item: the approver at the new level',
      {
        ...base,
        itemCode: 'BUILD',
        regionCode: '320722',
        approverDepartment: '320722-APPROVAL',
        delegation: { fromRegionCode: '320700', fromDepartment: '320700-HOUSING' },
      },
      '320722-APPROVAL',
      'integrated',
      'integrated',
    ],
    // entrustment: the entrusting department is the approver in law
    [
      'entrusted integrated approval: the entrusting department supervises',
      {
        ...base,
        itemCode: 'BUILD',
        regionCode: '320700',
        approverDepartment: '320700-APPROVAL',
        entrustment: { entrustingDepartment: '320700-HOUSING', agreement: '委托书〔2026〕1号' },
      },
      '320700-HOUSING',
      'integrated',
      'integrated',
    ],
    [
      'entrusted separated approval: still the industry authority',
      {
        ...base,
        itemCode: 'FOOD',
        regionCode: '320707',
        entrustment: { entrustingDepartment: '320700-HOUSING', agreement: '委托书〔2026〕2号' },
      },
      '320700-SAMR',
      'separated',
      'separated',
    ],
    // versions with effective dates
    [
      'the version in effect when decided: before the change',
      { ...base, itemCode: 'TOURISM', regionCode: '320700', decidedAt: '2025-12-31T15:00:00Z' },
      '320700-CULTURE',
      'separated',
      'separated',
    ],
    [
      'the version in effect when decided: after the change',
      { ...base, itemCode: 'TOURISM', regionCode: '320700', decidedAt: '2025-12-31T16:00:00Z' },
      '320700-TOURISM',
      'separated',
      'separated',
    ],
  ])('%s', (_, approval, department, rule, basis) => {
    expect(routeApproval(approval, catalog)).toMatchObject({ routed: true, department, rule, basis });
  });

  it.each<[string, ApprovalToRoute, RegExp]>([
    [
      'an item the catalog does not list',
      { ...base, itemCode: 'MINING', regionCode: '320700' },
      /^no catalog entry for item MINING in region 320700 or the regions above it$/,
    ],
    [
      'a listed item in a region no entry covers',
      { ...base, itemCode: 'FOOD', regionCode: '110101' },
      /^no catalog entry for item FOOD in region 110101/,
    ],
    [
      'an entry not yet in effect',
      { ...base, itemCode: 'FOOD', regionCode: '320700', decidedAt: '2019-06-01T00:00:00Z' },
      /^no catalog entry/,
    ],
    [
      'delegated power with an authority named only at the original level (no level mismatch)',
      { ...base, itemCode: 'HEALTH', regionCode: '320703', delegation: { fromRegionCode: '320000', fromDepartment: '320000-HEALTH' } },
      /delegated from 320000 to 320703; the catalog names a supervising department only at 320000/,
    ],
  ])('flags %s as a supervision vacuum, with the reason', (_, approval, reason) => {
    const decision = routeApproval(approval, catalog);
    expect(decision.routed).toBe(false);
    expect(!decision.routed && decision.reason).toMatch(reason);
  });

  it('walks a county up to its city and province', () => {
    expect(regionAncestors('320703')).toEqual(['320703', '320700', '320000']);
    expect(regionAncestors('320700')).toEqual(['320700', '320000']);
    expect(regionAncestors('320000')).toEqual(['320000']);
  });
});
