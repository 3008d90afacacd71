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

  it('writes what toISOString writes when the seconds it keeps are met again, evicted and met in another slot', () => {
    // Seconds 16 apart share a slot; the same second comes back with other milliseconds.
    const base = Date.UTC(2026, 11, 3, 12, 34, 56);
    const differing: string[] = [];
    for (let round = 0; round < 3; round += 1)
      for (const offset of [0, 16_000, 0, 32_000, 1_000, 17_000, 1_000, 86_400_000, 0, 999, 15_999, 16_001, 999]) {
        for (const ms of [0, 1, 499, 998, 999]) {
          const date = new Date(base + offset + round * 7 + ms);
          if (isoString(date) !== date.toISOString()) differing.push(date.toISOString());
        }
      }
    // The first second of the epoch (slot 0, a slot that starts empty: -1 is no second) and the last of 9999.
    for (const time of [0, 999, 253_402_300_799_000, 253_402_300_799_999, 0]) {
      const date = new Date(time);
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
