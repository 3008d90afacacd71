import { isoString } from './iso-time';

const DAY_MS = 86_400_000;

describe('isoString', () => {
  // The Gregorian calendar repeats after 400 years (146,097 days): every day of one whole cycle and more.
  it('writes what toISOString writes on the last millisecond of every day from 1970 to 2400', () => {
    const differing: number[] = [];
    for (let day = 0; day < 157_054; day += 1) {
      const date = new Date(day * DAY_MS + DAY_MS - 1);
      if (isoString(date) !== date.toISOString()) differing.push(day);
    }
    expect(differing).toEqual([]);
  });

  it('writes what toISOString writes at the edges: the epoch, leap days, the turn of centuries, the last instant of 9999', () => {
    const instants = [
      '1970-01-01T00:00:00.000Z',
      '1970-01-01T00:00:00.001Z',
      '1999-12-31T23:59:59.999Z',
      '2000-02-29T12:34:56.789Z',
      '2000-03-01T00:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2100-02-28T23:59:59.999Z',
      '2100-03-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ];
    expect(instants.map((text) => isoString(new Date(text)))).toEqual(instants);
  });

  it('writes what toISOString writes on random instants, milliseconds included', () => {
    // A fixed linear congruential sequence: the same instants every run.
    let seed = 20_261_202;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const differing: string[] = [];
    for (let i = 0; i < 200_000; i += 1) {
      const date = new Date(Math.floor(next() * 253_402_300_800_000));
      if (isoString(date) !== date.toISOString()) differing.push(date.toISOString());
    }
    expect(differing).toEqual([]);
  });

  it('leaves instants outside 1970–9999 to the builtin, and an invalid date throws as it does', () => {
    for (const time of [-1, -62_167_219_200_000, 253_402_300_800_000, 8.64e15, -8.64e15]) {
      const date = new Date(time);
      expect(isoString(date)).toBe(date.toISOString());
    }
    expect(isoString(new Date(-1))).toBe('1969-12-31T23:59:59.999Z');
    expect(isoString(new Date(253_402_300_800_000))).toBe('+010000-01-01T00:00:00.000Z');
    expect(() => isoString(new Date(Number.NaN))).toThrow(RangeError);
  });
});
