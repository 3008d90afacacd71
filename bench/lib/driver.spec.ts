import { describeSlow, slowBySecond, tailOf } from './driver';

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

describe('tailOf', () => {
  /** 500 requests a second for `seconds` seconds, each taking 5 ms unless `slow` says otherwise ([second, how many, ms]). */
  const phase = (seconds: number, slow: Array<[number, number, number]>) => {
    const ms: number[] = [];
    const dueAt: number[] = [];
    for (let second = 0; second < seconds; second++) {
      const [, n, took] = slow.find(([s]) => s === second) ?? [second, 0, 0];
      for (let i = 0; i < 500; i++) {
        dueAt.push(second * 1000 + i * 2);
        ms.push(i < n ? took : 5);
      }
    }
    return { ms, dueAt };
  };

  it('names the seconds holding a fifth of the slow requests or more, most first, with their stalls and the phase median', () => {
    const pressure = new Map([
      [0, { cpu: 400, io: 30 }],
      [1, { cpu: 420, io: 300 }],
      [2, { cpu: 700, io: 35 }],
      [3, { cpu: 450, io: 20 }],
    ]);
    const tail = tailOf(
      phase(4, [
        [1, 100, 90],
        [2, 30, 60],
        [3, 9, 70],
      ]),
      50,
      pressure,
    );
    expect(tail).toEqual({
      slow: 139,
      crowds: [
        { second: 1, slow: 100, stall: { cpu: 420, io: 300 } },
        { second: 2, slow: 30, stall: { cpu: 700, io: 35 } },
      ],
      medianStall: { cpu: 420, io: 30 },
      p99Outside: 5,
    });
  });

  it('gives the p99 of the requests due outside the crowds, and no stall without a pressure probe', () => {
    // Second 0: 60 slow requests (a crowd); seconds 1 to 4: 9 each at 80 ms, too few a second to be crowds.
    const tail = tailOf(
      phase(5, [
        [0, 60, 200],
        [1, 9, 80],
        [2, 9, 80],
        [3, 9, 80],
        [4, 9, 80],
      ]),
      50,
    );
    expect(tail.slow).toBe(96);
    expect(tail.crowds).toEqual([{ second: 0, slow: 60 }]);
    expect(tail.medianStall).toBeUndefined();
    // 2,000 requests outside second 0, 36 of them at 80 ms: the p99 (the 1,980th) is one of them.
    expect(tail.p99Outside).toBe(80);
  });

  it('finds no crowd in a tail spread over every second', () => {
    const tail = tailOf(
      phase(
        10,
        Array.from({ length: 10 }, (_, second): [number, number, number] => [second, 12, 60]),
      ),
      50,
    );
    expect(tail.crowds).toEqual([]);
    expect(tail.slow).toBe(120);
    expect(tail.p99Outside).toBe(60);
  });
});
