import { closeSync, openSync, readSync } from 'node:fs';
import { statFields } from './proc';

/**
 * Which process's main thread the loop waits for (ADR 0121). Sampled from /proc (Linux) a few dozen times
 * a second while the throughput phase sends: how many threads the whole machine had runnable (running
 * or waiting for a core), and whether each named process's main thread was one of them. A main thread
 * runnable in nearly every sample is the loop's critical path; samples with a core free tell whose
 * thread the other core was waiting for.
 */

/** What the samples counted. */
export interface RunnableCounts {
  samples: number;
  /** Samples in which fewer threads than cores were runnable: a core was free. */
  coreFree: number;
  /** Per name: samples in which its main thread was runnable, in all and in those with a core free. */
  runnable: Map<string, { all: number; whenFree: number }>;
}

/** `procs_running` of /proc/stat: the threads running or waiting for a core, machine-wide. */
export function procsRunning(procStat: string): number {
  const match = /^procs_running (\d+)$/m.exec(procStat);
  if (!match) throw new Error('/proc/stat has no procs_running line');
  return Number(match[1]);
}

/** The state letter of a /proc/<pid>/stat line (R running or runnable, S sleeping, D in uninterruptible I/O…). */
export function statState(stat: string): string {
  return statFields(stat)[0];
}

/**
 * One sample: `running` is procs_running less the sampling thread itself; `states` the state letter of
 * each named main thread ('' when it could not be read).
 */
export function addSample(counts: RunnableCounts, running: number, cores: number, states: Map<string, string>): void {
  const free = running < cores;
  counts.samples++;
  if (free) counts.coreFree++;
  for (const [name, state] of states) {
    let entry = counts.runnable.get(name);
    if (!entry) counts.runnable.set(name, (entry = { all: 0, whenFree: 0 }));
    if (state === 'R') {
      entry.all++;
      if (free) entry.whenFree++;
    }
  }
}

/** The bench's line: e.g. "main thread runnable (… samples): approval 93 %, supervision 60 %; a core free in 17 % …". */
export function describeRunnable(counts: RunnableCounts, hz: number): string {
  const share = (n: number, of: number) => (of > 0 ? `${Math.round((100 * n) / of)} %` : 'n/a');
  const names = [...counts.runnable.keys()];
  return (
    `main thread runnable (${counts.samples} samples at ${hz}/s while sending): ` +
    names.map((name) => `${name} ${share(counts.runnable.get(name)?.all ?? 0, counts.samples)}`).join(', ') +
    `; a core free in ${share(counts.coreFree, counts.samples)} of them, and then runnable: ` +
    names.map((name) => `${name} ${share(counts.runnable.get(name)?.whenFree ?? 0, counts.coreFree)}`).join(', ')
  );
}

/**
 * Samples /proc/stat and the named processes' /proc/<pid>/stat (each file opened once, read with pread)
 * on a timer of the bench's own process: a few reads of a few hundred bytes a sample.
 */
export class RunnableSampler {
  private readonly counts: RunnableCounts = { samples: 0, coreFree: 0, runnable: new Map() };
  private readonly procStat: number;
  private readonly stats: Array<[string, number]>;
  private readonly buffer = Buffer.alloc(8192);
  private timer?: NodeJS.Timeout;

  constructor(
    pids: Record<string, number | undefined>,
    private readonly cores: number,
    private readonly hz = 25,
  ) {
    this.procStat = openSync('/proc/stat', 'r');
    this.stats = Object.entries(pids).flatMap(([name, pid]) =>
      pid ? [[name, openSync(`/proc/${pid}/stat`, 'r')] as [string, number]] : [],
    );
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), 1000 / this.hz);
  }

  /** Stops sampling, closes the files and returns the bench's line. */
  stop(): string {
    clearInterval(this.timer);
    for (const fd of [this.procStat, ...this.stats.map(([, fd]) => fd)]) closeSync(fd);
    return describeRunnable(this.counts, this.hz);
  }

  private read(fd: number): string {
    const n = readSync(fd, this.buffer, 0, this.buffer.length, 0);
    return this.buffer.toString('latin1', 0, n);
  }

  private sample(): void {
    try {
      const running = procsRunning(this.read(this.procStat)) - 1; // less this thread, which is running
      const states = new Map<string, string>();
      for (const [name, fd] of this.stats) states.set(name, statState(this.read(fd)));
      addSample(this.counts, running, this.cores, states);
    } catch {
      // a named process gone meanwhile: its file no longer reads, and sampling ends with the samples taken so far
    }
  }
}
