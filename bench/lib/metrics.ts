import { ApprovalDecidedV2, TaskAssignedV1, TaskClaimedV1 } from '@backbone/contracts';
import { vmRssKib } from './proc';
import { fmt } from './util';

/** Sums of the services' Prometheus series we use to explain where time goes. */
export async function scrapeMetrics(port: number): Promise<Map<string, number>> {
  return metricsOf(await metricsText(port));
}

/**
 * The series of several processes of one service as one: counters and sums added, the event-loop delay
 * (a gauge per process) the largest of theirs.
 */
export function sumMetrics(perProcess: ReadonlyArray<Map<string, number>>): Map<string, number> {
  const result = new Map<string, number>();
  for (const series of perProcess)
    for (const [key, value] of series) {
      const before = result.get(key);
      if (before === undefined) result.set(key, value);
      else result.set(key, key.startsWith('nodejs_eventloop_lag_') ? Math.max(before, value) : before + value);
    }
  return result;
}

/** A process's event-loop delay since its previous scrape, from its (or summed) metrics: `mean/p99/max` in ms. */
export function describeLag(metrics: ReadonlyMap<string, number>): string {
  return ['mean', 'p99', 'max'].map((q) => fmt((metrics.get(`nodejs_eventloop_lag_${q}_seconds`) ?? NaN) * 1000)).join('/');
}

/** The series scrapeMetrics keeps, from a /metrics text already fetched. */
export function metricsOf(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match =
      /^(inbox_handle_seconds_(?:sum|count)|inbox_messages_total|outbox_batch_seconds_(?:sum|count)|outbox_published_total|outbox_rows_read_back_total|http_direct_requests_total|nodejs_gc_duration_seconds_(?:sum|count|bucket)|nodejs_eventloop_lag_(?:mean|p99|max)_seconds)(\{[^}]*\})? (\S+)$/.exec(
        line,
      );
    if (match) result.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  return result;
}

export function describeMetrics(before: Map<string, number>, after: Map<string, number>, seconds: number): string {
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  const sumOf = (prefix: string) => [...after.keys()].filter((key) => key.startsWith(prefix)).reduce((total, key) => total + delta(key), 0);
  const parts: string[] = [];
  const types = [ApprovalDecidedV2.type, TaskAssignedV1.type, TaskClaimedV1.type];
  let busy = 0;
  for (const type of types) {
    const count = delta(`inbox_handle_seconds_count{type="${type}"}`);
    if (count <= 0) continue;
    const sum = delta(`inbox_handle_seconds_sum{type="${type}"}`);
    busy += sum;
    parts.push(`inbox ${type.split('.').slice(-2, -1)[0]} ${fmt(count)} msgs, mean apply ${((sum / count) * 1000).toFixed(1)} ms`);
  }
  if (busy > 0)
    parts.push(
      `inbox busy ${(busy / seconds).toFixed(2)} applies in flight on average (at most CONSUMER_CONCURRENCY partitions at once, default 6)`,
    );
  const duplicates = [...after.keys()]
    .filter((key) => key.startsWith('inbox_messages_total') && key.includes('outcome="duplicate"'))
    .reduce((t, k) => t + delta(k), 0);
  if (duplicates > 0) parts.push(`${fmt(duplicates)} duplicate deliveries`);
  const batches = delta('outbox_batch_seconds_count');
  const published = sumOf('outbox_published_total');
  if (batches > 0) {
    parts.push(
      `outbox ${fmt(published)} msgs in ${fmt(batches)} batches (avg ${(published / batches).toFixed(0)}/batch, mean ${((delta('outbox_batch_seconds_sum') / batches) * 1000).toFixed(1)} ms/batch, ` +
        `${fmt(delta('outbox_rows_read_back_total'))} rows read back from the table, the rest published from what the writer kept: ADR 0116)`,
    );
  }
  return parts.join('; ');
}

/** Kafka messages a service handled between two scrapes: consumed (every inbox outcome) and produced (relay). */
export function kafkaHandlings(before: Map<string, number>, after: Map<string, number>): { consumed: number; produced: number } {
  const sumOf = (prefix: string) =>
    [...after.keys()]
      .filter((key) => key.startsWith(prefix))
      .reduce((total, key) => total + (after.get(key) ?? 0) - (before.get(key) ?? 0), 0);
  return { consumed: sumOf('inbox_messages_total'), produced: sumOf('outbox_published_total') };
}

/** A service's memory from its default Node metrics (MiB): resident set, V8 heap by space, outside the heap. */
export interface MemoryShape {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  spaces: Record<'new' | 'old' | 'largeObjects' | 'code', number>;
  external: number;
}

export function memoryShape(text: string): MemoryShape {
  const value = (series: string) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) / 1048576 : NaN;
  };
  const space = (name: string) => value(`nodejs_heap_space_size_total_bytes{space="${name}"}`);
  return {
    rss: value('process_resident_memory_bytes'),
    heapTotal: value('nodejs_heap_size_total_bytes'),
    heapUsed: value('nodejs_heap_size_used_bytes'),
    spaces: { new: space('new'), old: space('old'), largeObjects: space('large_object') + space('new_large_object'), code: space('code') },
    external: value('nodejs_external_memory_bytes'),
  };
}

export function formatMemory(m: MemoryShape): string {
  return (
    `rss ${fmt(m.rss)} MiB; V8 heap ${fmt(m.heapTotal)} MiB (used ${fmt(m.heapUsed)}; new ${fmt(m.spaces.new)}, old ${fmt(m.spaces.old)}, ` +
    `large objects ${fmt(m.spaces.largeObjects)}, code ${fmt(m.spaces.code)}), external ${fmt(m.external)} MiB`
  );
}

/**
 * What holds a service's memory now. Read next to VmHWM, it says whether a peak is heap (objects kept
 * or garbage not yet collected) or buffers (Kafka fetches, pg rows, sockets).
 */
export async function describeMemory(port: number): Promise<string> {
  return formatMemory(memoryShape(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()));
}

/**
 * Keeps what a service's memory was made of at its largest resident set while a phase runs, so the bench
 * can say what the peak was made of (the end-of-run figure is after the load). The resident set is read
 * from /proc once a second; /metrics, whose scrape also runs the service's SQL gauges (full counts of its
 * tables), only when it is a new peak by more than a MiB: scraping every second was load the bench put on
 * the process and its database that the loop then paid for.
 */
export class MemoryPeak {
  private peak?: MemoryShape;
  private peakRssKib = 0;
  private maxExternal = 0;
  private maxOld = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly port: number,
    private readonly pid: number | undefined,
  ) {}

  start(intervalMs = 1000): void {
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async sample(): Promise<void> {
    const rssKib = vmRssKib(this.pid);
    if (this.peak && !Number.isNaN(rssKib) && rssKib <= this.peakRssKib + 1024) return;
    try {
      const shape = memoryShape(await (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text());
      this.peakRssKib = Math.max(this.peakRssKib, Number.isNaN(rssKib) ? shape.rss * 1024 : rssKib);
      if (!this.peak || shape.rss > this.peak.rss) this.peak = shape;
      this.maxExternal = Math.max(this.maxExternal, shape.external || 0);
      this.maxOld = Math.max(this.maxOld, shape.spaces.old || 0);
    } catch {
      // the service is busy or stopping: the next sample counts
    }
  }

  describe(): string {
    if (!this.peak) return 'no sample';
    return `${formatMemory(this.peak)}; largest external ${fmt(this.maxExternal)} MiB, largest old space ${fmt(this.maxOld)} MiB (of the samples at new peaks)`;
  }
}

/**
 * The cumulative buckets of one series of a Prometheus histogram in a /metrics text: upper bound (s) →
 * observations at or under it, `Infinity` for `+Inf`. Labels must all match; others may be present.
 */
export function histogramBuckets(text: string, name: string, labels: Record<string, string>): Map<number, number> {
  const buckets = new Map<number, number>();
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`)) continue;
    const close = line.indexOf('} ');
    const pairs = line.slice(name.length + 8, close).split(',');
    if (!wanted.every((pair) => pairs.includes(pair))) continue;
    const le = pairs.find((pair) => pair.startsWith('le="'))?.slice(4, -1);
    if (le === undefined) continue;
    buckets.set(le === '+Inf' ? Infinity : Number(le), Number(line.slice(close + 2)));
  }
  return buckets;
}

/**
 * What share of a histogram's observations between two scrapes fell at or under each bucket's bound:
 * [bound (s), share], in order of bound. Empty when nothing was observed meanwhile.
 */
export function bucketShares(before: Map<number, number>, after: Map<number, number>): Array<[number, number]> {
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  if (total <= 0) return [];
  return [...after.keys()].sort((a, b) => a - b).map((le) => [le, ((after.get(le) ?? 0) - (before.get(le) ?? 0)) / total]);
}

/** Histograms of approval's /metrics whose buckets a bench phase adds up over approval's processes. */
export const APPROVAL_HISTOGRAMS = {
  /** `POST /approvals` from a request's arrival to its answer. */
  answer: postAnswerTimes,
  /** An application's wait for its group to leave (ADR 0126). */
  wait: (text: string) => histogramBuckets(text, 'approval_ingest_wait_seconds', {}),
  /** A group's write: connection, statements, commit (ADR 0126). */
  write: (text: string) => histogramBuckets(text, 'approval_ingest_write_seconds', {}),
};

/** Adds cumulative buckets into `total` (several processes' histograms as one). */
export function addBuckets(total: Map<number, number>, buckets: ReadonlyMap<number, number>): Map<number, number> {
  for (const [bound, n] of buckets) total.set(bound, (total.get(bound) ?? 0) + n);
  return total;
}

/** The POSTs approval's direct path took (ADR 0128) between two of its summed scrapes (`metricsOf`). */
export function directPosts(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): number {
  const key = 'http_direct_requests_total{route="/approvals"}';
  return (after.get(key) ?? 0) - (before.get(key) ?? 0);
}

/**
 * A process's garbage collections between two of its scrapes (`metricsOf`), from prom-client's
 * `nodejs_gc_duration_seconds`: per kind that ran, how many, their total pause and how many paused over
 * 10 ms (its buckets' bound), e.g. `minor 812 in 1.9 s, major 3 in 41 ms (1 over 10 ms)`. A pause stops the
 * event loop: every request in the process waits it out.
 */
export function describeGc(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): string {
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  const parts: string[] = [];
  for (const kind of ['minor', 'major', 'incremental', 'weakcb']) {
    const count = delta(`nodejs_gc_duration_seconds_count{kind="${kind}"}`);
    if (count <= 0) continue;
    const ms = delta(`nodejs_gc_duration_seconds_sum{kind="${kind}"}`) * 1000;
    const over = count - delta(`nodejs_gc_duration_seconds_bucket{le="0.01",kind="${kind}"}`);
    parts.push(
      `${kind} ${fmt(count)} in ${ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${fmt(ms)} ms`}${over > 0 ? ` (${fmt(over)} over 10 ms)` : ''}`,
    );
  }
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** `POST /approvals` in approval's request-duration histogram (from a request's arrival to its answer). */
export function postAnswerTimes(text: string): Map<number, number> {
  return histogramBuckets(text, 'http_request_duration_seconds', { method: 'POST', route: '/approvals' });
}

/** Shares of a histogram's observations within 10, 25 and 50 ms (or the bounds given, s): `98.9 % ≤ 10 ms, …`. */
export function describeAnswerShares(shares: ReadonlyArray<[number, number]>, bounds: readonly number[] = [0.01, 0.025, 0.05]): string {
  return shares
    .filter(([bound]) => bounds.includes(bound))
    .map(([bound, share]) => `${(share * 100).toFixed(1)} % ≤ ${bound * 1000} ms`)
    .join(', ');
}

/** The /metrics text of a service (a scrape also runs its SQL gauges: once per phase, not in a loop). */
export async function metricsText(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}
