/**
 * Summarises a V8 .heapsnapshot (from `--heapsnapshot-signal`, e.g. the loop bench's BENCH_HEAP_SNAPSHOT):
 * what the live heap is made of by constructor (self size and count), the memory outside the heap that
 * ArrayBuffers hold (Buffers: Kafka fetches, pg rows, sockets) with what retains it, and for one
 * constructor (--retainers Name) the retainer paths of its objects, grouped.
 *
 *   node dist/bench/lib/heap-snapshot.js <file.heapsnapshot>… [--top 25] [--retainers Batch] [--depth 8]
 *
 * A snapshot is taken after a full collection: what it shows is reachable, not garbage waiting.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

export interface HeapSnapshotFile {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapSummary {
  totalBytes: number;
  /** [constructor or kind, self bytes, count], largest first. */
  byName: Array<[string, number, number]>;
  /** Bytes of ArrayBuffer backing stores (outside the V8 heap), and [who retains them, bytes, count]. */
  backingStoreBytes: number;
  backingStores: Array<[string, number, number]>;
  /** With `retainersOf`: [retainer path, count], most first. */
  retainers: Array<[string, number]>;
}

/** A snapshot's graph, with each node's retainers (weak edges left out: they do not keep anything). */
class HeapGraph {
  readonly count: number;
  private readonly nf: number;
  private readonly ef: number;
  private readonly firstEdge: Uint32Array;
  private readonly retainedBy: Array<Array<[number, string]>>;

  constructor(private readonly file: HeapSnapshotFile) {
    const { meta } = file.snapshot;
    this.nf = meta.node_fields.length;
    this.ef = meta.edge_fields.length;
    this.count = file.nodes.length / this.nf;
    this.firstEdge = new Uint32Array(this.count + 1);
    const edgeCount = meta.node_fields.indexOf('edge_count');
    for (let i = 0, e = 0; i < this.count; i++) {
      this.firstEdge[i] = e;
      e += file.nodes[i * this.nf + edgeCount] * this.ef;
    }
    this.firstEdge[this.count] = file.edges.length;
    const edgeTypes = meta.edge_types[0];
    this.retainedBy = Array.from({ length: this.count }, () => []);
    for (let i = 0; i < this.count; i++)
      for (let e = this.firstEdge[i]; e < this.firstEdge[i + 1]; e += this.ef) {
        const type = edgeTypes[file.edges[e]];
        if (type === 'weak') continue;
        const label = type === 'element' || type === 'hidden' ? '[]' : String(file.strings[file.edges[e + 1]]);
        this.retainedBy[file.edges[e + 2] / this.nf].push([i, label]);
      }
  }

  type(i: number): string {
    return this.file.snapshot.meta.node_types[0][this.file.nodes[i * this.nf]];
  }

  size(i: number): number {
    return this.file.nodes[i * this.nf + 3];
  }

  /** Constructor name for objects, the kind for strings, arrays, code and the rest. */
  label(i: number): string {
    const type = this.type(i);
    if (type.includes('string')) return `(${type})`;
    const name = this.file.strings[this.file.nodes[i * this.nf + 1]];
    return type === 'object' || type === 'native' ? name.slice(0, 60) : `(${type}) ${name.slice(0, 40)}`.trim();
  }

  /** The first retainer chain, skipping V8's internal links where a named one exists. */
  path(i: number, depth: number): string {
    const steps: string[] = [];
    const seen = new Set([i]);
    for (let current = i, d = 0; d < depth; d++) {
      const candidates = this.retainedBy[current].filter(([from]) => !seen.has(from));
      const next = candidates.find(([from]) => !/^\(code\)|^system \//.test(this.label(from))) ?? candidates[0];
      if (!next) break;
      seen.add(next[0]);
      steps.push(`${next[1]} ← ${this.label(next[0])}`);
      current = next[0];
    }
    return steps.join(' ← ');
  }
}

export function summariseHeapSnapshot(file: HeapSnapshotFile, retainersOf?: string, depth = 8): HeapSummary {
  const graph = new HeapGraph(file);
  const byName = new Map<string, [number, number]>();
  const stores = new Map<string, [number, number]>();
  const retainers = new Map<string, number>();
  let totalBytes = 0;
  let backingStoreBytes = 0;
  for (let i = 0; i < graph.count; i++) {
    const label = graph.label(i);
    const size = graph.size(i);
    totalBytes += size;
    const entry = byName.get(label) ?? [0, 0];
    entry[0] += size;
    entry[1]++;
    byName.set(label, entry);
    if (label === 'system / JSArrayBufferData') {
      backingStoreBytes += size;
      const owner = graph.path(i, 5);
      const store = stores.get(owner) ?? [0, 0];
      store[0] += size;
      store[1]++;
      stores.set(owner, store);
    }
    if (retainersOf && label === retainersOf) {
      const path = graph.path(i, depth);
      retainers.set(path, (retainers.get(path) ?? 0) + 1);
    }
  }
  const sorted = (map: Map<string, [number, number]>) =>
    [...map].map(([name, [bytes, count]]) => [name, bytes, count] as [string, number, number]).sort((a, b) => b[1] - a[1]);
  return {
    totalBytes,
    byName: sorted(byName),
    backingStoreBytes,
    backingStores: sorted(stores),
    retainers: [...retainers].sort((a, b) => b[1] - a[1]),
  };
}

export function describeHeapSnapshot(name: string, summary: HeapSummary, top = 25): string {
  const mib = (bytes: number) => `${(bytes / 1048576).toFixed(2).padStart(7)} MiB`;
  return [
    `${basename(name)}: ${mib(summary.totalBytes).trim()} reachable (V8 heap and ArrayBuffer data)`,
    'by constructor (self size, count):',
    ...summary.byName.slice(0, top).map(([label, bytes, count]) => `  ${mib(bytes)} ${String(count).padStart(8)}  ${label}`),
    `ArrayBuffer data outside the heap: ${mib(summary.backingStoreBytes).trim()}, by what retains it:`,
    ...summary.backingStores.slice(0, top).map(([path, bytes, count]) => `  ${mib(bytes)} ${String(count).padStart(6)}  ${path}`),
    ...(summary.retainers.length > 0
      ? ['retainer paths:', ...summary.retainers.slice(0, top).map(([path, count]) => `  ${String(count).padStart(6)}  ${path}`)]
      : []),
  ].join('\n');
}

if (require.main === module) {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string' }, retainers: { type: 'string' }, depth: { type: 'string' } },
    allowPositionals: true,
  });
  const top = Number(values.top ?? 25);
  const retainersOf = values.retainers;
  const depth = Number(values.depth ?? 8);
  for (const file of positionals) {
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotFile;
    process.stdout.write(`${describeHeapSnapshot(file, summariseHeapSnapshot(snapshot, retainersOf, depth), top)}\n\n`);
  }
}
