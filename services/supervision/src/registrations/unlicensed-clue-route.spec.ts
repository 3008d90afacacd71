import { CompetentRule, routeUnlicensedClue, UnlicensedFinding } from './unlicensed-clue-route';

const rules: CompetentRule[] = [
  { itemCode: 'FOOD-BUSINESS-LICENCE', regionCode: '320700', competentDepartment: '320700-SAMR' },
  { itemCode: 'PUBLIC-PLACE-HEALTH-LICENCE', regionCode: '320700', competentDepartment: '320700-HEALTH' },
];

describe('routing a clue of unlicensed operation (无证无照)', () => {
  it.each<[string, UnlicensedFinding, string, string]>([
    [
      'no business licence → the market regulator',
      { hasBusinessLicence: false, regionCode: '320703' },
      '320700-SAMR',
      'no_business_licence',
    ],
    [
      'no permit → the department the law names',
      { hasBusinessLicence: true, itemCode: 'PUBLIC-PLACE-HEALTH-LICENCE', regionCode: '320703' },
      '320700-HEALTH',
      'no_permit',
    ],
    [
      'neither → handled as no permit',
      { hasBusinessLicence: false, itemCode: 'PUBLIC-PLACE-HEALTH-LICENCE', regionCode: '320703' },
      '320700-HEALTH',
      'no_permit',
    ],
  ])('%s', (_, finding, department, basis) => {
    expect(routeUnlicensedClue(finding, rules, '320700-SAMR')).toEqual({ routed: true, department, basis });
  });

  it.each<[string, UnlicensedFinding, RegExp]>([
    ['a missing permit without its item', { hasBusinessLicence: true, regionCode: '320703' }, /itemCode: required/],
    [
      'an item no rule names',
      { hasBusinessLicence: true, itemCode: 'MINING', regionCode: '320703' },
      /no department is named for licence item MINING/,
    ],
  ])('refuses %s', (_, finding, reason) => {
    const route = routeUnlicensedClue(finding, rules, '320700-SAMR');
    expect(route.routed).toBe(false);
    expect(!route.routed && route.reason).toMatch(reason);
  });
});
