import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * How fast this machine ran while a bench ran: the same services on the same machine have used 1.6 ms of
 * CPU a loop one hour and 2.9 ms the next, most likely because the host's other work shares its physical
 * cores (ADR 0110).
 * Two figures let a reader tell such a run from a change of the code:
 *
 * - `referenceWorkload()`: the CPU time of a fixed piece of JavaScript of the loop's kind (an event
 *   envelope parsed, changed, serialised and measured), taken before and after the bench in a process of
 *   its own. When it moves by a quarter, so do the services' CPU figures, whatever the code.
 * - `stolenShare()`: the share of the machine's CPU time the hypervisor gave to other guests (`steal` in
 *   /proc/stat) while the bench wanted it.
 */

/** A decided event's envelope, about the size of the loop's (the text the workload parses). */
const ENVELOPE = JSON.stringify({
  specversion: '1.0',
  id: '3f0c8a4e-8b1a-4c53-9f39-1a2b3c4d5e6f',
  source: '/services/approval',
  type: 'gov.approval.decided.v2',
  subject: '91320700MA1XABCD12',
  time: '2026-12-03T09:19:23.123Z',
  datacontenttype: 'application/json',
  correlationid: 'c0ffee00-8b1a-4c53-9f39-1a2b3c4d5e6f',
  data: {
    approvalId: '3f0c8a4e-8b1a-4c53-9f39-1a2b3c4d5e6f',
    version: 2,
    uscc: '91320700MA1XABCD12',
    itemCode: 'FOOD-BUSINESS-LICENCE',
    regionCode: '320700',
    approverDepartment: '320700-APPROVAL',
    kind: 'licence',
    outcome: 'granted',
    decidedAt: '2026-12-03T09:19:23.123Z',
    validFrom: '2026-12-03',
    validUntil: '2031-12-02',
  },
});

/** Operations the workload times (after as many to warm up): about 0.2 s of CPU on a machine of today. */
export const REFERENCE_OPERATIONS = 20_000;

/** The workload: `operations` envelopes parsed, given a new version, serialised and measured in UTF-8. */
export function referenceOperations(operations: number): number {
  let bytes = 0;
  for (let i = 0; i < operations; i++) {
    const envelope = JSON.parse(ENVELOPE) as { data: { version: number } };
    envelope.data.version = i;
    bytes += Buffer.byteLength(JSON.stringify(envelope));
  }
  return bytes;
}

/**
 * CPU µs per operation of the workload, the median of five timings after a warm-up (the machine's
 * speed moves within a second): lower is faster.
 * `cpuMicros` is the process's CPU clock (replaceable in a spec).
 */
export function referenceWorkload(
  operations = REFERENCE_OPERATIONS,
  cpuMicros: () => number = () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
): number {
  referenceOperations(operations);
  const timings: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = cpuMicros();
    referenceOperations(operations);
    timings.push((cpuMicros() - start) / operations);
  }
  return timings.sort((a, b) => a - b)[2];
}

/**
 * `referenceWorkload()` in a process of its own: the bench's own heap (hundreds of MiB late in a run) would
 * make the workload's garbage collections, and so its timing, slower in the bench's process.
 */
export function referenceWorkloadApart(): number {
  return parseWorkloadOutput(execFileSync(process.execPath, [__filename, '--reference-workload'], { encoding: 'utf8' }));
}

/** The µs the workload's process printed. */
export function parseWorkloadOutput(output: string): number {
  const printed = output.trim();
  const micros = printed === '' ? NaN : Number(printed);
  if (!Number.isFinite(micros) || micros <= 0) throw new Error(`reference workload: unexpected output '${printed}'`);
  return micros;
}

if (require.main === module && process.argv.includes('--reference-workload')) process.stdout.write(`${referenceWorkload()}\n`);

/** The machine-wide CPU counters of /proc/stat's first line, in clock ticks. */
export interface MachineTicks {
  /** All time: user, nice, system, idle, iowait, irq, softirq, steal. */
  total: number;
  /** Neither idle nor waiting for I/O (steal included: the machine wanted the CPU). */
  busy: number;
  /** Given by the hypervisor to other guests while this one wanted it. */
  steal: number;
}

/** Parses /proc/stat's `cpu` line (the sum over all cores). */
export function machineTicks(procStat: string): MachineTicks {
  const line = procStat.split('\n')[0].trim();
  if (!line.startsWith('cpu ')) throw new Error(`/proc/stat: first line is not the cpu total: ${line.slice(0, 40)}`);
  const ticks = line.split(/\s+/).slice(1, 9).map(Number);
  while (ticks.length < 8) ticks.push(0);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return { total, busy: total - ticks[3] - ticks[4], steal: ticks[7] };
}

/** This machine's counters now. */
export function readMachineTicks(): MachineTicks {
  return machineTicks(readFileSync('/proc/stat', 'utf8'));
}

/** The share (0…1) of the machine's CPU time that was busy (stolen time included) between two readings. */
export function busyShare(first: MachineTicks, last: MachineTicks): number {
  return (last.busy - first.busy) / Math.max(1, last.total - first.total);
}

/** The share (0…1) of the machine's CPU time stolen by the host between two readings. */
export function stolenShare(first: MachineTicks, last: MachineTicks): number {
  return (last.steal - first.steal) / Math.max(1, last.total - first.total);
}

/** One line for a bench's header: the workload before and after, and how much of its run was stolen. */
export function describeMachineSpeed(before: number, after: number | undefined, stolen: number | undefined): string {
  const workload = `reference workload ${before.toFixed(2)} µs of CPU an operation${after === undefined ? '' : ` at the start, ${after.toFixed(2)} µs at the end`}`;
  return `${workload} (lower is faster)${stolen === undefined ? '' : `; the host stole ${(stolen * 100).toFixed(1)} % of the CPU time meanwhile`}`;
}

/**
 * A bench's machine speed: the workload timed when the probe is made (before the bench starts its
 * services), then again at the end with the host's steal over the run between.
 */
export class MachineSpeedProbe {
  private readonly before = referenceWorkloadApart();
  private readonly ticks = readMachineTicks();

  /** The workload at the start. */
  atStart(): string {
    return describeMachineSpeed(this.before, undefined, undefined);
  }

  /** The workload at the start and now, and the share of the CPU time the host stole meanwhile. */
  atEnd(): string {
    return describeMachineSpeed(this.before, referenceWorkloadApart(), stolenShare(this.ticks, readMachineTicks()));
  }
}

/** "machine 94% busy of 2 cores (3 % of the time stolen by the host)": the stolen time counts as busy. */
export function describeBusy(busy: number, stolen: number, cores?: number): string {
  return `machine ${(busy * 100).toFixed(0)}% busy${cores === undefined ? '' : ` of ${cores} cores`} (${(stolen * 100).toFixed(0)} % of the time stolen by the host)`;
}
