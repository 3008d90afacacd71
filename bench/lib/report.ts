import type { KafkaBaseline, PostgresBaseline } from './baselines';
import { BATCH, PAYLOAD_BYTES } from './baselines';
import { fmt, mib } from './util';

/** Everything a loop bench measured; filled phase by phase, printed by summary() even after a failure. */
export interface Results {
  cores: number;
  load?: string;
  kafka?: KafkaBaseline;
  postgres?: PostgresBaseline;
  throughput?: { loops: number; seconds: number; rate: number; ingestRate: number; retries: number };
  latency?: {
    rate: number;
    achievedRate: number;
    sent: number;
    p50: number;
    p95: number;
    p99: number;
    max: number;
    httpP50: number;
    httpP99: number;
  };
  memory?: { approval: number; supervision: number; bench: number };
  check?: { ok: boolean; lines: string[] };
  cpu?: string;
  cpuOther?: number;
  latencyNoise?: string;
  budget?: string[];
  backlog?: { events: number; drained: number; seconds: number; rate: number; finished: boolean; peakRssKib?: number };
  diagnostics: string[];
}

export interface Goals {
  concurrency: number;
  /** Kafka events one loop moves (decided, assigned, claimed). */
  eventsPerLoop: number;
  loopsPerSecond: number;
  p99Ms: number;
  ratio: number;
  backlogRate: number;
  rssMiB: number;
}

export function summary(r: Results, goals: Goals): string {
  const out: string[] = [];
  out.push(`== loop benchmark (${r.cores} cores${r.load ? `; load average ${r.load}` : ''}) ==`);
  if (r.kafka)
    out.push(
      `baseline kafkajs produce→consume : ${fmt(r.kafka.endToEndRate)} msgs/s (${r.kafka.messages} × ${PAYLOAD_BYTES} B, batches of ${BATCH}, acks=all; produce alone ${fmt(r.kafka.produceRate)} msgs/s)`,
    );
  if (r.postgres)
    out.push(
      `baseline postgres batched insert : ${fmt(r.postgres.batchedRate)} rows/s (${r.postgres.rows} outbox-shaped rows, INSERTs of ${BATCH}); single-row commits ${fmt(r.postgres.commitsPerSecond)}/s on 1 connection`,
    );
  if (r.throughput) {
    out.push(
      `sustained loops/s                : ${fmt(r.throughput.rate)} (${r.throughput.loops} loops in ${r.throughput.seconds.toFixed(1)} s; HTTP accepted ${fmt(r.throughput.ingestRate)}/s at concurrency ${goals.concurrency})`,
    );
    if (r.kafka)
      out.push(
        `loop events/s vs raw kafkajs     : ${fmt(r.throughput.rate * goals.eventsPerLoop)} / ${fmt(r.kafka.endToEndRate)} = ${((r.throughput.rate * goals.eventsPerLoop) / r.kafka.endToEndRate).toFixed(3)} (${goals.eventsPerLoop} events per loop)`,
      );
  }
  if (r.latency) {
    const l = r.latency;
    out.push(
      `latency at ${fmt(l.rate)}/s (p50/p95/p99/max): ${fmt(l.p50)} / ${fmt(l.p95)} / ${fmt(l.p99)} / ${fmt(l.max)} ms (${l.sent} loops, sent at ${fmt(l.achievedRate)}/s; POST p50/p99 ${fmt(l.httpP50)} / ${fmt(l.httpP99)} ms)`,
    );
  }
  if (r.latencyNoise) out.push(`cpu in latency phase             : ${r.latencyNoise}`);
  if (r.backlog) {
    const b = r.backlog;
    out.push(
      `backlog drain                    : ${fmt(b.rate)} events/s (${b.drained} of ${b.events} decided events applied by supervision in ${b.seconds.toFixed(1)} s${b.finished ? '' : ', stopped at the time limit'}` +
        `${b.peakRssKib ? `; its peak RSS ${(b.peakRssKib / 1024).toFixed(0)} MiB` : ''})`,
    );
  }
  if (r.memory)
    out.push(
      `peak memory (VmHWM) approval ${mib(r.memory.approval)}, supervision ${mib(r.memory.supervision)}, bench ${mib(r.memory.bench)} (maxRSS)`,
    );
  if (r.cpu)
    out.push(
      `cpu in throughput phase (cores)  : ${r.cpu}${r.cpuOther !== undefined && r.cpuOther > 0.25 ? '  <- other processes busy: numbers are noisy' : ''}`,
    );
  for (const line of r.budget ?? []) out.push(line);
  for (const line of r.diagnostics) out.push(line);
  if (r.check) {
    out.push(`exactly-once check               : ${r.check.ok ? 'PASSED' : 'FAILED'}`);
    for (const line of r.check.lines) out.push(`  ${line}`);
  }
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  if (r.throughput) out.push(`P1 >= ${goals.loopsPerSecond} loops/s sustained: ${verdict(r.throughput.rate >= goals.loopsPerSecond)}`);
  if (r.latency)
    out.push(
      `P2 loop p99 <= ${goals.p99Ms} ms at >= ${goals.loopsPerSecond}/s: ${verdict(r.latency.rate >= goals.loopsPerSecond && r.latency.p99 <= goals.p99Ms)} ` +
        `(p99 ${fmt(r.latency.p99)} ms measured at ${fmt(r.latency.rate)}/s; POST p99 ${fmt(r.latency.httpP99)} ms, goal <= 50 ms at 500 req/s)`,
    );
  if (r.throughput && r.kafka)
    out.push(`P3 ratio >= ${goals.ratio}: ${verdict((r.throughput.rate * goals.eventsPerLoop) / r.kafka.endToEndRate >= goals.ratio)}`);
  if (r.backlog)
    out.push(`P4 backlog drain >= ${goals.backlogRate} events/s: ${verdict(r.backlog.rate >= goals.backlogRate && r.backlog.finished)}`);
  if (r.memory)
    out.push(
      `P5 peak RSS <= ${goals.rssMiB} MiB per service: ${verdict(Math.max(r.memory.approval, r.memory.supervision) / 1024 <= goals.rssMiB)}`,
    );
  return out.join('\n');
}
