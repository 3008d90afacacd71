import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { now } from './util';
import { busyShare, type MachineTicks, readMachineTicks, stolenShare } from './machine-speed';

/** CPU time and peak memory of processes, from /proc (Linux). */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A process's peak resident set (VmHWM), KiB; NaN when it cannot be read. */
export function vmHwmKib(pid: number | undefined): number {
  return statusKib(pid, 'VmHWM');
}

/** A process's resident set now (VmRSS), KiB; NaN when it cannot be read. */
export function vmRssKib(pid: number | undefined): number {
  return statusKib(pid, 'VmRSS');
}

function statusKib(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number {
  if (!pid) return NaN;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The fields of a /proc/<pid>/stat line after the process's name (which may hold spaces and parentheses):
 * `[0]` its state letter, `[11]` and `[12]` its user and system CPU in clock ticks.
 */
export function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU time of every process on the machine, bucketed (our services, their databases, Kafka, the rest),
 * sampled while a phase runs: pooled database connections come and go, so one snapshot at each end
 * would miss the time of those that closed in between.
 */
export class CpuTracker {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, { bucket: string; ticks: number }>();
  private startAt = 0;
  private endAt = 0;
  private machineFirst?: MachineTicks;
  private machineLast?: MachineTicks;

  constructor(private readonly classify: (pid: number, cmdline: string) => string) {}

  sample(): void {
    const initial = this.machineFirst === undefined;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      try {
        const fields = statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        const ticks = Number(fields[11]) + Number(fields[12]);
        if (!this.first.has(pid)) this.first.set(pid, initial ? ticks : 0);
        const known = this.last.get(pid);
        const bucket = known?.bucket ?? this.classify(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim());
        this.last.set(pid, { bucket, ticks });
      } catch {
        // gone meanwhile
      }
    }
    const machine = readMachineTicks();
    if (initial) {
      this.machineFirst = machine;
      this.startAt = now();
    }
    this.machineLast = machine;
    this.endAt = now();
  }

  /**
   * Cores used per bucket over the sampled span (`seconds` long), how busy the whole machine was (0…1),
   * and how much of its CPU time the host gave to other guests meanwhile (0…1, ADR 0110).
   */
  result(): { buckets: Map<string, number>; busy: number; stolen: number; seconds: number } {
    const seconds = Math.max(0.001, (this.endAt - this.startAt) / 1000);
    const buckets = new Map<string, number>();
    for (const [pid, { bucket, ticks }] of this.last) {
      const used = ticks - (this.first.get(pid) ?? 0);
      if (used > 0) buckets.set(bucket, (buckets.get(bucket) ?? 0) + used / CLK_TCK / seconds);
    }
    const first = this.machineFirst ?? { busy: 0, total: 0, steal: 0 };
    const last = this.machineLast ?? first;
    return { buckets, busy: busyShare(first, last), stolen: stolenShare(first, last), seconds };
  }
}
