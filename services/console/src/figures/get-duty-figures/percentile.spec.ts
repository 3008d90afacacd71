import { percentileOf } from './get-duty-figures.service';

describe('percentileOf: percentile_cont over a histogram', () => {
  it.each([
    { histogram: [], q: 0.5, expected: null },
    { histogram: [[4, 1]], q: 0.9, expected: 4 },
    // values 1, 2, 2, 10: median at position 1.5 → between 2 and 2
    {
      histogram: [
        [1, 1],
        [2, 2],
        [10, 1],
      ],
      q: 0.5,
      expected: 2,
    },
    // p90 at position 2.7 → 2 + 0.7 × (10 − 2)
    {
      histogram: [
        [1, 1],
        [2, 2],
        [10, 1],
      ],
      q: 0.9,
      expected: 7.6,
    },
    // values 1, 3: median 2
    {
      histogram: [
        [1, 1],
        [3, 1],
      ],
      q: 0.5,
      expected: 2,
    },
  ] as Array<{ histogram: Array<[number, number]>; q: number; expected: number | null }>)(
    'q=$q of $histogram is $expected',
    ({ histogram, q, expected }) => {
      const value = percentileOf(histogram, q);
      if (expected === null) expect(value).toBeNull();
      else expect(value).toBeCloseTo(expected, 10);
    },
  );
});
