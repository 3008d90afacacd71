import { ApprovalDecidedV2, TaskAssignedV1, TaskClaimedV1 } from '@backbone/contracts';
import { fmt } from './util';

/** Sums of the services' Prometheus series we use to explain where time goes. */
export async function scrapeMetrics(port: number): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  for (const line of text.split('\n')) {
    const match =
      /^(inbox_handle_seconds_(?:sum|count)|inbox_messages_total|outbox_batch_seconds_(?:sum|count)|outbox_published_total|nodejs_eventloop_lag_(?:mean|p99|max)_seconds)(\{[^}]*\})? (\S+)$/.exec(
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
      `outbox ${fmt(published)} msgs in ${fmt(batches)} batches (avg ${(published / batches).toFixed(0)}/batch, mean ${((delta('outbox_batch_seconds_sum') / batches) * 1000).toFixed(1)} ms/batch)`,
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

/**
 * What holds a service's memory now, from its default Node metrics: resident set, V8 heap (by space)
 * and memory outside the heap (Buffers: Kafka fetches, pg rows). Read next to VmHWM, it says whether a
 * peak is heap (objects kept or garbage not yet collected) or buffers.
 */
export async function describeMemory(port: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (series: string) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) / 1048576 : NaN;
  };
  const space = (name: string) => value(`nodejs_heap_space_size_total_bytes{space="${name}"}`);
  return (
    `rss ${fmt(value('process_resident_memory_bytes'))} MiB now; V8 heap ${fmt(value('nodejs_heap_size_total_bytes'))} MiB ` +
    `(used ${fmt(value('nodejs_heap_size_used_bytes'))}; new ${fmt(space('new'))}, old ${fmt(space('old'))}, ` +
    `large objects ${fmt(space('large_object') + space('new_large_object'))}, code ${fmt(space('code'))}), ` +
    `external ${fmt(value('nodejs_external_memory_bytes'))} MiB`
  );
}
