import { describeSlow, slowBySecond } from './driver';

describe('describeSlow', () => {
  it('counts the requests over the bound by the second they were due in, and how late the bench sent', () => {
    const loop = {
      ms: [12, 640, 610, 55, 9, 70],
      dueAt: [100, 200, 300, 5_400, 5_500, 12_000],
      late: [0.5, 0.2, 3, 0.1],
    };
    expect(describeSlow(loop, 50)).toBe('4 over 50 ms, due in second 0: 2, 5: 1, 12: 1; the bench sent p50/p99/max 0.2/3.0/3.0 ms late');
  });

  it('says none when every request was within the bound', () => {
    expect(describeSlow({ ms: [3, 4], dueAt: [0, 2], late: [1] }, 50)).toBe('0 over 50 ms; the bench sent p50/p99/max 1.0/1.0/1.0 ms late');
  });
});

describe('slowBySecond', () => {
  it('gives the seconds in time order, whatever order the answers came in', () => {
    const loop = { ms: [70, 12, 640, 55], dueAt: [12_000, 100, 200, 5_400] };
    expect([...slowBySecond(loop, 50)]).toEqual([
      [0, 1],
      [5, 1],
      [12, 1],
    ]);
  });
});
