import { validateTargetRow } from './target-row';

/** Each row of a bulk import is validated on its own; every problem names its field and rule. */
describe('bulk import rows', () => {
  const ok = { uscc: '91320700MA1MXXK01L', name: '连云港某食品有限公司' };

  it('fills region and entity type from the USCC', () => {
    expect(validateTargetRow(ok)).toEqual({
      row: {
        uscc: ok.uscc,
        name: ok.name,
        entityType: 'enterprise',
        industry: null,
        regionCode: '320700',
        creditTier: null,
        keySupervision: false,
        status: 'active',
      },
    });
  });

  it('reads CSV strings as well as JSON values', () => {
    const result = validateTargetRow({ ...ok, keySupervision: '1', creditTier: 'D', industry: 'H62', regionCode: '320703' });
    expect(result).toMatchObject({ row: { keySupervision: true, creditTier: 'D', industry: 'H62', regionCode: '320703' } });
    expect(validateTargetRow({ ...ok, keySupervision: true })).toMatchObject({ row: { keySupervision: true } });
  });

  it.each([
    ['a wrong check character', { ...ok, uscc: '91320700MA1MXXK01M' }, 'uscc', 'isUscc'],
    ['no USCC', { name: 'x' }, 'uscc', 'isUscc'],
    ['no name', { uscc: ok.uscc }, 'name', 'length'],
    ['a bad region', { ...ok, regionCode: '3207' }, 'regionCode', 'matches'],
    ['an unknown entity type', { ...ok, entityType: 'bank' }, 'entityType', 'isIn'],
    ['an unknown tier', { ...ok, creditTier: 'E' }, 'creditTier', 'isIn'],
    ['a non-boolean flag', { ...ok, keySupervision: 'yes' }, 'keySupervision', 'isBoolean'],
    ['an unknown status', { ...ok, status: 'closed' }, 'status', 'isIn'],
    ['an unknown field', { ...ok, owner: '张三' }, 'owner', 'whitelist'],
    ['not an object', [1, 2], '(row)', 'isObject'],
  ])('rejects %s', (_, raw, field, rule) => {
    const result = validateTargetRow(raw);
    expect('problems' in result && result.problems).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
  });
});
