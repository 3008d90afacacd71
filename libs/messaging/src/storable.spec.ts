import { nulPath, storableText, unstorableDataError, utf8Problem } from './storable';

describe('what PostgreSQL cannot store', () => {
  it.each([
    ['a lone NUL byte', Buffer.from([0]), 'value: contains U+0000 (NUL), which PostgreSQL cannot store'],
    ['bytes that are not UTF-8', Buffer.from([0xc3, 0x28]), 'value: is not valid UTF-8'],
    ['a truncated sequence', Buffer.from([0xe4, 0xb8]), 'value: is not valid UTF-8'],
    ['Chinese text', Buffer.from('连云港'), undefined],
    ['no value', null, undefined],
  ])('%s', (_name, bytes, problem) => {
    expect(utf8Problem(bytes, 'value')).toBe(problem);
  });

  it('finds NUL in a nested string or object key, by path', () => {
    expect(nulPath({ data: { items: [{ name: 'a\u0000' }] } })).toBe('data.items.0.name');
    expect(nulPath({ data: { 'k\u0000': 1 } })).toBe('data.k\u0000');
    expect(nulPath({ data: { name: '连云港' } })).toBeUndefined();
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
