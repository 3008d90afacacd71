import { jsonRow } from './json-row';

describe('jsonRow', () => {
  const columns = [
    { property: 'id', column: 'id' },
    { property: 'decidedAt', column: 'decided_at' },
    { property: 'validUntil', column: 'valid_until' },
    { property: 'note', column: 'note' },
    { property: 'detail', column: 'detail' },
    { property: 'count', column: 'count' },
    { property: 'odd"name', column: 'odd"column\\' },
  ];

  /** What approval's group write did before, key by key: the reference the generated function must match. */
  function byLoop(entity: Record<string, unknown>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const { property, column } of columns) {
      const value = entity[property] ?? null;
      values[column] = value instanceof Date ? (Number.isNaN(value.getTime()) ? null : value.toISOString()) : value;
    }
    return values;
  }

  it('writes each column from its property, in order: null for undefined or null, a date as its JSON text', () => {
    const entity = {
      id: 'a1',
      decidedAt: new Date('2026-12-02T08:30:00.123Z'),
      validUntil: new Date(Number.NaN),
      note: undefined,
      detail: { nested: [1, 'two'], at: new Date('2027-01-01T00:00:00.000Z') },
      count: 0,
      'odd"name': 'quoted',
      ignored: 'not a column',
    };
    const row = jsonRow(columns)(entity);
    expect(Object.keys(row)).toEqual(['id', 'decided_at', 'valid_until', 'note', 'detail', 'count', 'odd"column\\']);
    expect(row).toEqual({
      id: 'a1',
      decided_at: '2026-12-02T08:30:00.123Z',
      valid_until: null,
      note: null,
      detail: entity.detail,
      count: 0,
      'odd"column\\': 'quoted',
    });
    expect(JSON.stringify(row)).toBe(JSON.stringify(byLoop(entity)));
  });

  it('gives every row one shape, whatever its values', () => {
    const make = jsonRow(columns);
    const rows = [make({ id: 'x' }), make({ id: 'y', note: 'n', count: 3, decidedAt: new Date(0) })];
    expect(rows.map((row) => Object.keys(row))).toEqual([Object.keys(rows[1]), Object.keys(rows[0])]);
    expect(JSON.stringify(rows[0])).toBe(
      '{"id":"x","decided_at":null,"valid_until":null,"note":null,"detail":null,"count":null,"odd\\"column\\\\":null}',
    );
  });
});
