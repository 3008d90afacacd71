import { maskedName, publicUscc } from './redaction';

describe('redaction of published inspection data', () => {
  it.each([
    ['an enterprise keeps its code', '91320700MA1MXXK01L', '91320700MA1MXXK01L'],
    ['an individual business is masked, region and check kept', '92320703MA1MXXK01X', '92320703*********X'],
  ])('%s', (_, uscc, expected) => expect(publicUscc(uscc)).toBe(expected));

  it.each([
    ['连云港某食品有限公司', 'enterprise', '连云港某食品有限公司'],
    ['海州区张三小吃店', 'individual_business', '海州******'],
    ['张三', 'individual_business', '张三**'],
  ])('%s (%s) → %s', (name, type, expected) => expect(maskedName(name, type)).toBe(expected));
});
