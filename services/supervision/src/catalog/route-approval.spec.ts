import { CatalogEntry } from './catalog-entry.entity';
import { regionAncestors, routeApproval } from './route-approval';

function entry(partial: Partial<CatalogEntry>): CatalogEntry {
  return Object.assign(new CatalogEntry(), {
    id: `entry-${partial.itemCode}-${partial.regionCode}`,
    itemName: 'item',
    claimDeadlineDays: 2,
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
];

describe('routing an approval through the catalog', () => {
  it.each([
    ['separated item: the industry authority supervises', 'FOOD', '320707', '320700-APPROVAL', '320700-SAMR', 'separated'],
    ['the most specific region wins', 'FOOD', '320703', '320700-APPROVAL', '320703-SAMR', 'separated'],
    ['integrated item: the approver supervises', 'BUILD', '320722', '320722-HOUSING', '320722-HOUSING', 'integrated'],
    ['a province entry covers its cities and counties', 'HEALTH', '320703', '320700-APPROVAL', '320000-HEALTH', 'separated'],
  ])('%s', (_, itemCode, regionCode, approverDepartment, department, rule) => {
    const decision = routeApproval({ itemCode, regionCode, approverDepartment }, catalog);
    expect(decision).toMatchObject({ routed: true, department, rule });
  });

  it.each([
    ['an item the catalog does not list', 'MINING', '320700'],
    ['a listed item in a region no entry covers', 'FOOD', '110101'],
  ])('flags %s as a supervision vacuum, with the reason', (_, itemCode, regionCode) => {
    const decision = routeApproval({ itemCode, regionCode, approverDepartment: 'x' }, catalog);
    expect(decision).toEqual({ routed: false, reason: `no catalog entry for item ${itemCode} in region ${regionCode} or the regions above it` });
  });

  it('walks a county up to its city and province', () => {
    expect(regionAncestors('320703')).toEqual(['320703', '320700', '320000']);
    expect(regionAncestors('320700')).toEqual(['320700', '320000']);
    expect(regionAncestors('320000')).toEqual(['320000']);
  });
});
