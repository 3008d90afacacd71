import { readFileSync } from 'node:fs';
import { now, percentile } from './util';

/** The `total` stall times (µs) of one /proc/pressure file: `some` (at least one task waited) and `full` (all did). */
export function pressureTotals(text: string): { some: number; full: number } {
  const total = (kind: string) => Number(new RegExp(`^${kind} .*total=(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { some: total('some'), full: total('full') };
}

/** Per second of a phase, how long at least one task waited for a core (cpu) and for the disk (io), in ms. */
export type PressureBySecond = Map<number, { cpu: number; io: number }>;

/**
 * What the kernel's pressure stall information (PSI, /proc/pressure) says of each second of a phase: the time in
 * which some task was runnable but had no core, and the time in which some task waited for I/O. A second whose
 * requests were slow and whose CPU stall stands out was the machine's, not a statement's or a lock's (ADR 0127).
 * Samples every `intervalMs`; the seconds count from `start()`, as an open loop's `dueAt` does.
 */
export class PressureProbe {
  private readonly samples: Array<{ at: number; cpu: number; io: number }> = [];
  private timer?: NodeJS.Timeout;
  private readonly started = now();

  private constructor(
    private readonly read: (resource: 'cpu' | 'io') => string,
    intervalMs: number,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Starts sampling, or returns undefined where the kernel has no /proc/pressure (before Linux 4.20, or disabled). */
  static start(
    intervalMs = 100,
    read = (resource: 'cpu' | 'io') => readFileSync(`/proc/pressure/${resource}`, 'utf8'),
  ): PressureProbe | undefined {
    try {
      read('cpu');
      read('io');
    } catch {
      return undefined;
    }
    return new PressureProbe(read, intervalMs);
  }

  stop(): PressureBySecond {
    clearInterval(this.timer);
    this.sample();
    return pressureBySecond(this.samples);
  }

  private sample(): void {
    this.samples.push({ at: now() - this.started, cpu: pressureTotals(this.read('cpu')).some, io: pressureTotals(this.read('io')).some });
  }
}

/** The stall (ms) in each second from cumulative samples (`at` in ms, totals in µs); a gap's stall goes to the second it ends in. */
export function pressureBySecond(samples: ReadonlyArray<{ at: number; cpu: number; io: number }>): PressureBySecond {
  const bySecond: PressureBySecond = new Map();
  for (let i = 1; i < samples.length; i++) {
    const second = Math.floor(samples[i].at / 1000);
    const entry = bySecond.get(second) ?? { cpu: 0, io: 0 };
    entry.cpu += (samples[i].cpu - samples[i - 1].cpu) / 1000;
    entry.io += (samples[i].io - samples[i - 1].io) / 1000;
    bySecond.set(second, entry);
  }
  return bySecond;
}

/** The median second's stalls (ms) for CPU and I/O, each the median of its own. */
export function medianStall(bySecond: PressureBySecond): { cpu: number; io: number } {
  const median = (key: 'cpu' | 'io') =>
    percentile(
      [...bySecond.values()].map((entry) => entry[key]).sort((a, b) => a - b),
      0.5,
    );
  return { cpu: median('cpu'), io: median('io') };
}

/**
 * One line: the median and the largest stall a second for CPU and I/O over the phase, and the stalls of the
 * seconds named (those the slow requests were due in).
 */
export function describePressure(bySecond: PressureBySecond, seconds: readonly number[]): string {
  const worst = (key: 'cpu' | 'io') => {
    let at = -1;
    let most = -Infinity;
    for (const [second, entry] of bySecond) if (entry[key] > most) [at, most] = [second, entry[key]];
    return `${Math.round(most)} (second ${at})`;
  };
  if (bySecond.size === 0) return 'pressure stalls: no samples';
  const median = medianStall(bySecond);
  const named = seconds
    .filter((second) => bySecond.has(second))
    .map((second) => {
      const entry = bySecond.get(second) as { cpu: number; io: number };
      return `${second}: cpu ${Math.round(entry.cpu)} io ${Math.round(entry.io)}`;
    });
  return (
    `pressure stalls (ms a second in which some task waited, /proc/pressure): cpu median ${Math.round(median.cpu)}, ` +
    `max ${worst('cpu')}; io median ${Math.round(median.io)}, max ${worst('io')}` +
    (named.length ? `; in the seconds with slow requests: ${named.join(', ')}` : '')
  );
}
