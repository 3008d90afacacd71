import { jsonNulPath, nulPath, storableText, unstorableDataError, utf8Problem } from './storable';

describe('what PostgreSQL cannot store', () => {
  it.each([
    ['a lone NUL byte', Buffer.from([0]), 'value: contains U+0000 (NUL), which PostgreSQL cannot store'],
    ['bytes that are not UTF-8', Buffer.from([0xc3, 0x28]), 'value: is not valid UTF-8'],
    ['a truncated sequence', Buffer.from([0xe4, 0xb8]), 'value: is not valid UTF-8'],
    ['Chinese text', Buffer.from('连云港'), undefined],
    ['a NUL byte inside text', Buffer.from('{"a":"x\u0000y"}'), 'value: contains U+0000 (NUL), which PostgreSQL cannot store'],
    ['a NUL byte after bytes that are not UTF-8', Buffer.from([0xc3, 0x28, 0]), 'value: is not valid UTF-8'],
    ['an encoded surrogate', Buffer.from([0xed, 0xa0, 0x80]), 'value: is not valid UTF-8'],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf]), 'value: is not valid UTF-8'],
    ['a code point past U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80]), 'value: is not valid UTF-8'],
    ['the escape \\u0000 (six characters, no NUL byte)', Buffer.from('{"a":"\\u0000"}'), undefined],
    ['a view into a larger buffer', Buffer.from([0xff, 0x61, 0x62, 0xff]).subarray(1, 3), undefined],
    ['no value', null, undefined],
  ])('%s', (_name, bytes, problem) => {
    expect(utf8Problem(bytes, 'value')).toBe(problem);
  });

  it('finds NUL in a nested string or object key, by path', () => {
    expect(nulPath({ data: { items: [{ name: 'a\u0000' }] } })).toBe('data.items.0.name');
    expect(nulPath({ data: { 'k\u0000': 1 } })).toBe('data.k\u0000');
    expect(nulPath({ data: { name: '连云港' } })).toBeUndefined();
  });

  it('finds NUL in parsed JSON as nulPath does, walking the value only when its text holds the escape', () => {
    const values: unknown[] = [
      { data: { items: [{ name: 'a\u0000' }] } },
      { data: { 'k\u0000': 1 } },
      { data: { name: '连云港', nested: [1, null, true, { deep: 'x' }] } },
      '\u0000',
      ['a', 'b\u0000'],
      { plain: 'text with a backslash \\ and u0000' },
    ];
    for (const value of values) expect(jsonNulPath(Buffer.from(JSON.stringify(value)), value)).toBe(nulPath(value));
    // An escaped backslash before u0000 is not U+0000: the walk runs and finds nothing.
    const text = '{"a":"\\\\u0000"}';
    expect(JSON.parse(text)).toEqual({ a: '\\u0000' });
    expect(jsonNulPath(Buffer.from(text), JSON.parse(text))).toBeUndefined();
    // Without the escape in the text the value is not walked: a value that does not come from these bytes is not looked at.
    expect(jsonNulPath(Buffer.from('{"a":"b"}'), { a: '\u0000' })).toBeUndefined();
    expect(jsonNulPath(Buffer.from('{"a":"\\u0000"}'), { a: '\u0000' })).toBe('a');
  });

  it('makes text safe for a text column, bounded', () => {
    expect(storableText('a\u0000b', 100)).toBe('a\\u0000b');
    expect(storableText('x'.repeat(10), 5)).toBe('xxxx…');
    expect(storableText(null, 5)).toBeNull();
  });

  it('tells a data exception (class 22, 54000) from an outage', () => {
    expect(unstorableDataError(Object.assign(new Error('invalid byte sequence'), { code: '22021' }))).toContain('SQLSTATE 22021');
    expect(unstorableDataError({ message: 'index row size exceeds', driverError: { code: '54000' } })).toContain('54000');
    expect(unstorableDataError(Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(unstorableDataError(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBeUndefined();
    expect(unstorableDataError(Object.assign(new Error('could not serialize'), { code: '40001' }))).toBeUndefined();
  });
});
