import { describePressure, pressureBySecond, PressureProbe, pressureTotals } from './pressure';

describe('the pressure stalls of a phase (/proc/pressure, ADR 0127)', () => {
  it('reads the some and full totals of a pressure file, in µs', () => {
    const text = 'some avg10=1.00 avg60=2.42 avg300=16.82 total=6994263359\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=17\n';
    expect(pressureTotals(text)).toEqual({ some: 6994263359, full: 17 });
    expect(pressureTotals('')).toEqual({ some: NaN, full: NaN });
  });

  it('puts each interval’s stall in the second it ends in, in ms', () => {
    const samples = [
      { at: 0, cpu: 1_000_000, io: 50_000 },
      { at: 500, cpu: 1_200_000, io: 50_000 },
      { at: 1000, cpu: 1_500_000, io: 60_000 },
      { at: 1500, cpu: 2_400_000, io: 160_000 },
    ];
    expect(pressureBySecond(samples)).toEqual(
      new Map([
        [0, { cpu: 200, io: 0 }],
        [1, { cpu: 1200, io: 110 }],
      ]),
    );
  });

  it('gives the median and the worst second of each, and the seconds named', () => {
    const bySecond = new Map([
      [0, { cpu: 300, io: 10 }],
      [1, { cpu: 310, io: 140 }],
      [2, { cpu: 820, io: 12 }],
    ]);
    expect(describePressure(bySecond, [2, 7])).toBe(
      'pressure stalls (ms a second in which some task waited, /proc/pressure): cpu median 310, max 820 (second 2); ' +
        'io median 12, max 140 (second 1); in the seconds with slow requests: 2: cpu 820 io 12',
    );
    expect(describePressure(bySecond, [])).not.toContain('slow requests');
    expect(describePressure(new Map(), [1])).toBe('pressure stalls: no samples');
  });

  it('is not started where the kernel has no pressure files, and otherwise samples until stopped', async () => {
    expect(
      PressureProbe.start(10, () => {
        throw new Error('ENOENT');
      }),
    ).toBeUndefined();
    let total = 0;
    const probe = PressureProbe.start(
      5,
      () => `some avg10=0 avg60=0 avg300=0 total=${(total += 1000)}\nfull avg10=0 avg60=0 avg300=0 total=0\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    const bySecond = (probe as PressureProbe).stop();
    expect([...bySecond.keys()]).toEqual([0]);
    // each read adds 1 ms; cpu and io are read in turn, so each grows by 2 ms a sample
    expect(bySecond.get(0)?.cpu).toBeGreaterThan(0);
    expect(bySecond.get(0)?.cpu).toBe(bySecond.get(0)?.io);
  });
});
