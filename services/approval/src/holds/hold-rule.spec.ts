import { holdReason, parseHoldItems } from './hold-rule';

describe('holds while an enforcement case is open', () => {
  it('reads the configured items', () => {
    expect([...parseHoldItems('FOOD-BUSINESS-LICENCE, DRUG-RETAIL ,')]).toEqual(['FOOD-BUSINESS-LICENCE', 'DRUG-RETAIL']);
    expect(parseHoldItems('').size).toBe(0);
    expect(parseHoldItems(undefined).size).toBe(0);
  });

  it('holds a configured item while a case is open, naming the cases', () => {
    const reason = holdReason(parseHoldItems('FOOD-BUSINESS-LICENCE'), 'FOOD-BUSINESS-LICENCE', ['case-1', 'case-2']);
    expect(reason).toContain('case-1, case-2');
  });

  it('does not hold without an open case', () => {
    expect(holdReason(parseHoldItems('FOOD-BUSINESS-LICENCE'), 'FOOD-BUSINESS-LICENCE', [])).toBeUndefined();
  });

  it('does not hold an item that is not configured', () => {
    expect(holdReason(parseHoldItems('FOOD-BUSINESS-LICENCE'), 'DRUG-RETAIL', ['case-1'])).toBeUndefined();
    expect(holdReason(parseHoldItems(''), 'DRUG-RETAIL', ['case-1'])).toBeUndefined();
  });

  it('holds every item with *', () => {
    expect(holdReason(parseHoldItems('*'), 'ANY-ITEM', ['case-1'])).toBeDefined();
  });
});
