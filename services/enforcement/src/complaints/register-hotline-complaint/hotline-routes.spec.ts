import { DEFAULT_HOTLINE_ROUTES, parseHotlineRoutes } from './hotline-routes';

describe('hotline work orders routed by category (派单)', () => {
  it('the default routes every category, unlicensed operation as a report', () => {
    const routes = parseHotlineRoutes(DEFAULT_HOTLINE_ROUTES);
    expect(routes.food_safety).toEqual({ department: '320700-SAMR', kind: 'complaint' });
    expect(routes.unlicensed_operation).toEqual({ department: '320700-SAMR', kind: 'report' });
    expect(Object.keys(routes).sort()).toEqual([
      'environment',
      'food_safety',
      'other',
      'pricing',
      'product_quality',
      'unlicensed_operation',
    ]);
  });

  it.each([
    [
      'a category left out',
      'food_safety=320700-SAMR',
      /no department for product_quality, pricing, unlicensed_operation, environment, other/,
    ],
    ['an unknown category', `${DEFAULT_HOTLINE_ROUTES},noise=320700-SAMR`, /noise is not a complaint category/],
    ['a category twice', `${DEFAULT_HOTLINE_ROUTES},pricing=320700-HEALTH`, /pricing is routed twice/],
    ['an unknown kind', DEFAULT_HOTLINE_ROUTES.replace('pricing=320700-SAMR', 'pricing=320700-SAMR:later'), /pricing: later is not a kind/],
    ['no department', DEFAULT_HOTLINE_ROUTES.replace('pricing=320700-SAMR', 'pricing'), /"pricing" is not category=DEPT\[:kind\]/],
    [
      'a bad department code',
      DEFAULT_HOTLINE_ROUTES.replace('pricing=320700-SAMR', 'pricing=3207 SAMR'),
      /pricing: "3207 SAMR" is not a department code/,
    ],
  ])('refuses %s', (_case, value, problem) => {
    expect(() => parseHotlineRoutes(value)).toThrow(problem);
  });

  it('routes an urgent category with its kind', () => {
    expect(
      parseHotlineRoutes(DEFAULT_HOTLINE_ROUTES.replace('food_safety=320700-SAMR', 'food_safety=320700-HEALTH:urgent')).food_safety,
    ).toEqual({
      department: '320700-HEALTH',
      kind: 'urgent',
    });
  });
});
