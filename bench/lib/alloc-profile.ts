/**
 * Summarises V8 sampling heap profiles (`.heapprofile`, from the services' BENCH_ALLOC_PROF): how many
 * bytes were allocated, by package and by function (self: the function that asked for the memory), and
 * by function inclusive (a sample counts once for every distinct function on its stack). The profiles
 * BENCH_ALLOC_PROF writes keep what the garbage collector freed, so these are the bytes a run allocated,
 * which its young-generation collections pay for, not what it held at the end.
 *
 *   node dist/bench/lib/alloc-profile.js <file.heapprofile>… [--top 30] [--match supervision] [--per N]
 *
 * --match keeps only the inclusive entries whose location contains the text; --per N also prints the
 * total divided by N (say, the events a drain applied: bytes allocated per event).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { frameLabel, packageOf } from './cpu-profile';

export interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  /** Bytes of the samples taken with this node at the top of the stack. */
  selfSize: number;
  children: AllocationNode[];
}

export interface AllocationProfile {
  head: AllocationNode;
}

export interface AllocationSummary {
  totalBytes: number;
  self: [string, number][];
  packages: [string, number][];
  inclusive: [string, number][];
}

export function summariseAllocations(profile: AllocationProfile, match?: string): AllocationSummary {
  const self = new Map<string, number>();
  const packages = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, bytes: number) => map.set(key, (map.get(key) ?? 0) + bytes);
  let totalBytes = 0;
  // Depth first with an explicit stack: a deep profile would overflow a recursive walk.
  const pending: Array<{ node: AllocationNode; stack: string[] }> = [{ node: profile.head, stack: [] }];
  while (pending.length > 0) {
    const { node, stack } = pending.pop() as { node: AllocationNode; stack: string[] };
    const label = frameLabel(node.callFrame);
    const here = node === profile.head ? stack : [...stack, label]; // the (root) frame is on every stack: not counted
    if (node.selfSize > 0) {
      totalBytes += node.selfSize;
      add(self, label, node.selfSize);
      add(packages, packageOf(node.callFrame.url), node.selfSize);
      for (const frame of new Set(here)) if (!match || frame.includes(match)) add(inclusive, frame, node.selfSize);
    }
    for (const child of node.children) pending.push({ node: child, stack: here });
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return { totalBytes, self: sorted(self), packages: sorted(packages), inclusive: sorted(inclusive) };
}

const MIB = 1024 * 1024;

export function describeAllocations(file: string, summary: AllocationSummary, top = 25, per?: number): string {
  const pct = (bytes: number) => `${((bytes / Math.max(1, summary.totalBytes)) * 100).toFixed(1).padStart(5)}%`;
  const lines = (entries: [string, number][]) =>
    entries.slice(0, top).map(([name, bytes]) => `  ${(bytes / MIB).toFixed(1).padStart(8)} MiB ${pct(bytes)}  ${name}`);
  const perUnit = per ? `; ${(summary.totalBytes / per / 1024).toFixed(1)} KiB per unit of ${per}` : '';
  return [
    `${basename(file)}: ${(summary.totalBytes / MIB).toFixed(0)} MiB allocated (sampled)${perUnit}`,
    'self bytes by package:',
    ...lines(summary.packages),
    'self bytes by function:',
    ...lines(summary.self),
    'inclusive bytes by function:',
    ...lines(summary.inclusive),
  ].join('\n');
}

if (require.main === module) {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string' }, match: { type: 'string' }, per: { type: 'string' } },
    allowPositionals: true,
  });
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as AllocationProfile;
    const per = values.per ? Number(values.per) : undefined;
    process.stdout.write(`${describeAllocations(file, summariseAllocations(profile, values.match), Number(values.top ?? 25), per)}\n\n`);
  }
}
