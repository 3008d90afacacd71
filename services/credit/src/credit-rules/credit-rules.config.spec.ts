import { creditRulesProblems, DEFAULT_CREDIT_RULES, parseCreditRules } from './credit-rules.config';

describe('credit rules as data', () => {
  it('the defaults are valid and every list has its rule and source', () => {
    expect(creditRulesProblems(parseCreditRules(undefined))).toEqual([]);
    for (const rule of [...DEFAULT_CREDIT_RULES.lists, ...DEFAULT_CREDIT_RULES.listEntry]) expect(rule.source.length).toBeGreaterThan(10);
  });

  it('takes replacement rules from JSON', () => {
    const rules = parseCreditRules(JSON.stringify({ ...DEFAULT_CREDIT_RULES, nonCompliantInspectionPoints: 5 }));
    expect(rules.nonCompliantInspectionPoints).toBe(5);
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    [
      'an unknown measure',
      JSON.stringify({
        ...DEFAULT_CREDIT_RULES,
        lists: [{ ...DEFAULT_CREDIT_RULES.lists[0], measures: ['jail'] }, DEFAULT_CREDIT_RULES.lists[1]],
      }),
      /measures/,
    ],
    [
      'a list without its rule',
      JSON.stringify({ ...DEFAULT_CREDIT_RULES, lists: [DEFAULT_CREDIT_RULES.lists[0]] }),
      /exactly one rule for abnormal_operation/,
    ],
    [
      'descending thresholds',
      JSON.stringify({
        ...DEFAULT_CREDIT_RULES,
        tiers: [
          { tier: 'A', maxPoints: 5 },
          { tier: 'B', maxPoints: 2 },
        ],
      }),
      /ascend/,
    ],
    [
      'a fine rule without amount',
      JSON.stringify({
        ...DEFAULT_CREDIT_RULES,
        listEntry: [{ id: 'x', list: 'serious_dishonesty', when: 'fine_at_least', source: 'somewhere in 004' }],
      }),
      /needs amount/,
    ],
    ['negative points', JSON.stringify({ ...DEFAULT_CREDIT_RULES, commitmentBreachPoints: -1 }), /commitmentBreachPoints/],
  ])('refuses %s, naming the problem', (_, json, message) => {
    expect(() => parseCreditRules(json)).toThrow(message);
  });
});
