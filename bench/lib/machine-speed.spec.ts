import {
  describeBusy,
  describeMachineSpeed,
  machineTicks,
  parseWorkloadOutput,
  referenceOperations,
  referenceWorkload,
  stolenShare,
} from './machine-speed';

// A real first line of /proc/stat (user nice system idle iowait irq softirq steal guest guest_nice).
const STAT = 'cpu  1754928 432336 276960 7770828 27808 0 38966 365127 0 0\ncpu0 877464 216168 138480 3885414 13904 0 19483 182563 0 0\n';

describe('machine speed (ADR 0110)', () => {
  it('reads the total, busy and stolen ticks of /proc/stat, steal counted as busy', () => {
    const ticks = machineTicks(STAT);
    expect(ticks.total).toBe(1754928 + 432336 + 276960 + 7770828 + 27808 + 0 + 38966 + 365127);
    expect(ticks.busy).toBe(ticks.total - 7770828 - 27808);
    expect(ticks.steal).toBe(365127);
  });

  it('refuses a text whose first line is not the cpu total', () => {
    expect(() => machineTicks('cpu0 1 2 3 4\n')).toThrow(/first line is not the cpu total/);
  });

  it('gives the share of the time between two readings that the host stole', () => {
    const first = { total: 10_000, busy: 4_000, steal: 100 };
    expect(stolenShare(first, { total: 12_000, busy: 5_800, steal: 600 })).toBeCloseTo(0.25);
    expect(stolenShare(first, first)).toBe(0);
  });

  it('times the workload by the CPU clock given: the median of five rounds per operation', () => {
    // The timed rounds take 10, 30, 20, 50 and 15 µs.
    const readings = [0, 10, 10, 40, 40, 60, 60, 110, 110, 125];
    let read = 0;
    expect(referenceWorkload(5, () => readings[read++])).toBe(20 / 5);
    expect(read).toBe(10);
  });

  it('refuses what a workload process printed when it is not a positive number of µs', () => {
    expect(() => parseWorkloadOutput('')).toThrow(/unexpected output ''/);
    expect(() => parseWorkloadOutput('NaN\n')).toThrow(/unexpected output 'NaN'/);
    expect(parseWorkloadOutput('6.125\n')).toBe(6.125);
  });

  it('does the same work every time: the serialised envelopes have a fixed size', () => {
    const one = referenceOperations(1);
    expect(one).toBeGreaterThan(400);
    expect(referenceOperations(10)).toBe(one * 10);
  });

  it('describes the two timings and the steal, and the machine busy with the stolen share', () => {
    expect(describeMachineSpeed(6.126, 8.104, 0.034)).toBe(
      'reference workload 6.13 µs of CPU an operation at the start, 8.10 µs at the end (lower is faster); the host stole 3.4 % of the CPU time meanwhile',
    );
    expect(describeMachineSpeed(6.126, undefined, undefined)).toBe('reference workload 6.13 µs of CPU an operation (lower is faster)');
    expect(describeBusy(0.94, 0.031, 2)).toBe('machine 94% busy of 2 cores (3 % of the time stolen by the host)');
  });
});
