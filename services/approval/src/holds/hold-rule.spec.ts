import { holdReason, parseHoldItems } from './hold-rule';

describe('holds while an enforcement case is open', () => {
  it('reads the configured items', () => {
    expect([...parseHoldItems('FOOD-BUSINESS-LICENCE, DRUG-RETAIL ,')]).toEqual(['FOOD-BUSINESS-LICENCE', 'DRUG-RETAIL']);
    expect(parseHoldItems('').size).toBe(0);
    expect(parseHoldItems(undefined).size).toBe(0);
  });

  it('holds a configured item while a case is open, naming the cases', () => {
    const reason = holdReason(parseHoldItems('FOOD-BUSINESS-LICENCE'), { itemCode: 'FOOD-BUSINESS-LICENCE', outcome: 'granted' }, [
      'case-1',
      'case-2',
    ]);
    expect(reason).toContain('case-1, case-2');
  });

  it('does not hold without an open case', () => {
    expect(
      holdReason(parseHoldItems('FOOD-BUSINESS-LICENCE'), { itemCode: 'FOOD-BUSINESS-LICENCE', outcome: 'granted' }, []),
    ).toBeUndefined();
  });

  it('does not hold an item that is not configured', () => {
    expect(
      holdReason(parseHoldItems('FOOD-BUSINESS-LICENCE'), { itemCode: 'DRUG-RETAIL', outcome: 'granted' }, ['case-1']),
    ).toBeUndefined();
    expect(holdReason(parseHoldItems(''), { itemCode: 'DRUG-RETAIL', outcome: 'granted' }, ['case-1'])).toBeUndefined();
  });

  it('never holds a refusal', () => {
    expect(holdReason(parseHoldItems('*'), { itemCode: 'FOOD-BUSINESS-LICENCE', outcome: 'refused' }, ['case-1'])).toBeUndefined();
  });

  it('holds every item with *', () => {
    expect(holdReason(parseHoldItems('*'), { itemCode: 'ANY-ITEM', outcome: 'granted' }, ['case-1'])).toBeDefined();
  });
});
