import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { inspectInput } from './http-edge';
import { isRfc3339Date, isRfc3339DateTime, IsRfc3339, OneOfPipe, ParseBigintIdPipe, ParseUsccPipe, PatternPipe } from './validation';

describe('RFC 3339 dates', () => {
  it.each(['2025-02-28', '2024-02-29', '2026-12-31', '0001-01-01'])('accepts the full-date %s', (value) => {
    expect(isRfc3339Date(value)).toBe(true);
  });

  it.each([
    '2025-02-30',
    '2025-02-29',
    '2026-W49',
    '20250230',
    '2026-366',
    '2026-13-01',
    '2026-00-10',
    '2026-1-01',
    '2026-01-01T00:00:00Z',
    ' 2026-01-01',
    '',
  ])('refuses %p as a full-date', (value) => expect(isRfc3339Date(value)).toBe(false));

  it.each(['2026-03-01T09:00:00Z', '2026-03-01t09:00:00z', '2026-03-01T09:00:00.123456+08:00', '2024-02-29T23:59:59-05:30'])(
    'accepts the date-time %s',
    (value) => expect(isRfc3339DateTime(value)).toBe(true),
  );

  it.each([
    '2025-02-30T00:00:00Z', // rolls over to March in JavaScript
    '2026-W49-1T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T09:60:00Z',
    '2026-03-01T09:00:60Z', // leap second: JavaScript dates cannot hold it
    '2026-03-01T09:00:00', // no offset: which instant?
    '2026-03-01 09:00:00Z',
    '2026-03-01T09:00Z',
    '2026-03-01T09:00:00+2400',
    '2026-03-01T09:00:00+24:00',
    '2026-03-01',
    '20260301T090000Z',
  ])('refuses %p as a date-time', (value) => expect(isRfc3339DateTime(value)).toBe(false));

  class Query {
    @IsRfc3339('date-or-date-time') asOf: string;
  }

  it('names the field and the rule', () => {
    const errors = validateSync(plainToInstance(Query, { asOf: '2026-W49' }));
    expect(errors[0].property).toBe('asOf');
    expect(Object.keys(errors[0].constraints!)).toEqual(['isRfc3339DateTime']);
    expect(validateSync(plainToInstance(Query, { asOf: '2026-02-28' }))).toEqual([]);
  });
});

describe('bigint ids', () => {
  const pipe = new ParseBigintIdPipe();
  it('accepts ids up to 2^63-1', () => {
    expect(pipe.transform('1')).toBe('1');
    expect(pipe.transform('9223372036854775807')).toBe('9223372036854775807');
  });
  it.each(['0', '-1', '9223372036854775808', '99999999999999999999', '1e3', '01', ' 1', ''])('refuses %p', (value) => {
    expect(() => pipe.transform(value)).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('input inspection at the edge', () => {
  it('refuses prototype keys, naming the field', () => {
    expect(inspectInput(JSON.parse('{"a":{"__proto__":{"x":1}}}'), '', 16)).toMatchObject({ field: 'a.__proto__', rule: 'forbiddenKey' });
    expect(inspectInput({ constructor: { prototype: {} } }, '', 16)).toMatchObject({ field: 'constructor', rule: 'forbiddenKey' });
  });

  it('refuses control characters in values and keys, but not tabs and line breaks', () => {
    expect(inspectInput({ list: ['ok', 'a\u0000b'] }, '', 16)).toMatchObject({ field: 'list[1]', rule: 'noControlCharacters' });
    expect(inspectInput({ a: '\u001b[31m' }, '', 16)).toMatchObject({ field: 'a', rule: 'noControlCharacters' });
    expect(inspectInput({ a: '\ud800' }, '', 16)).toMatchObject({ rule: 'noControlCharacters' });
    expect(inspectInput({ a: 'line\nbreak\tand tab\r\n, 中文 😀' }, '', 16)).toBeUndefined();
  });

  it('refuses nesting deeper than the limit without recursing', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(inspectInput({ deep }, '', 16)).toMatchObject({ rule: 'maxDepth' });
  });
});

describe('pipes that state their rule in the OpenAPI document', () => {
  const query = (data: string) => ({ type: 'query' as const, data });

  it('PatternPipe: matches or 400 naming the field; an absent query value passes', () => {
    const pipe = new PatternPipe(/^\d{4}$/, 'four digits');
    expect(pipe.transform('2026', query('year'))).toBe('2026');
    expect(pipe.transform(undefined, query('year'))).toBeUndefined();
    expect(() => pipe.transform('26', query('year'))).toThrow('year: four digits');
    expect(pipe.openApiSchema).toEqual({ type: 'string', pattern: '^\\d{4}$', description: 'four digits' });
  });

  it('ParseUsccPipe: a USCC with its check character', () => {
    const pipe = new ParseUsccPipe();
    expect(pipe.transform('91320700MA1MXXK01L', { type: 'param', data: 'uscc' })).toBe('91320700MA1MXXK01L');
    expect(() => pipe.transform('91320700MA1MXXK01M', { type: 'param', data: 'uscc' })).toThrow(
      /uscc: must be a unified social credit code/,
    );
    expect(() => pipe.transform(undefined, { type: 'param', data: 'uscc' })).toThrow();
    expect(ParseUsccPipe.openApiSchema).toMatchObject({ format: 'uscc', pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' });
  });

  it('OneOfPipe: one of the values, stated as an enum', () => {
    const pipe = new OneOfPipe(['pending', 'done'] as const);
    expect(pipe.transform('done', query('status'))).toBe('done');
    expect(() => pipe.transform('null', query('status'))).toThrow('status: must be one of pending, done');
    expect(pipe.openApiSchema).toEqual({ type: 'string', enum: ['pending', 'done'] });
  });
});
