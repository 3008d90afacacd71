/**
 * Loop benchmark: approval → Kafka → supervision (routes and auto-claims) → Kafka → the claim recorded
 * at the approver, with the real services as separate processes on the real infrastructure.
 *
 *   npm run bench            (builds, then runs dist/bench/loop.bench.js)
 *
 * Phases: baselines of the raw infrastructure (kafkajs produce→consume, PostgreSQL batched insert,
 * single-row commits), a throughput phase (closed loop, bounded concurrency), a latency phase (open
 * loop at half the sustained rate), peak memory, and an exactly-once check. Exits non-zero when the
 * check fails or anything goes wrong; stops whatever it started in any case.
 *
 * Knobs (environment): BENCH_APPROVALS (20000), BENCH_SECONDS (30), BENCH_CONCURRENCY (64),
 * BENCH_LATENCY_SECONDS (20), BENCH_LATENCY_RATE (half the sustained rate), BENCH_BASELINE_MESSAGES
 * (200000), BENCH_BASELINE_ROWS (= messages), BENCH_WARMUP (500), BENCH_DRAIN_SECONDS (90),
 * BENCH_SEED ('loop-bench').
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, Message, Partitioners } from 'kafkajs';
import type { Client } from 'pg';
import seedrandom from 'seedrandom';
import { ApprovalDecidedV1, ApprovalDecidedV2, TaskAssignedV1, TaskClaimedV1 } from '@backbone/contracts';
import {
  connectTestDatabase,
  createTestDatabase,
  dropTestDatabase,
  resolveInfra,
  TEST_CLIENTS,
  TestInfra,
  TestSystem,
  testUscc,
} from '@backbone/testing';

// ---------------------------------------------------------------------------------------------- config

function knob(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`);
  return value;
}

const APPROVALS = Math.floor(knob('BENCH_APPROVALS', 20_000));
const SEND_SECONDS = knob('BENCH_SECONDS', 30);
const CONCURRENCY = Math.floor(knob('BENCH_CONCURRENCY', 64));
const LATENCY_SECONDS = knob('BENCH_LATENCY_SECONDS', 20);
const LATENCY_RATE = process.env.BENCH_LATENCY_RATE ? knob('BENCH_LATENCY_RATE', 1) : undefined;
const BASELINE_MESSAGES = Math.floor(knob('BENCH_BASELINE_MESSAGES', 200_000));
const BASELINE_ROWS = Math.floor(knob('BENCH_BASELINE_ROWS', BASELINE_MESSAGES));
const WARMUP = Math.floor(knob('BENCH_WARMUP', 500));
const DRAIN_SECONDS = knob('BENCH_DRAIN_SECONDS', 90);
const SEED = process.env.BENCH_SEED ?? 'loop-bench';
const BATCH = 500;
const PAYLOAD_BYTES = 600;
const GOAL_LOOPS_PER_S = 2000;
const GOAL_P99_MS = 1000;
const AUTO_CLAIM = '320700-SAMR';
const APPROVER: keyof typeof TEST_CLIENTS = '320700-APPROVAL';

const rng = seedrandom(SEED);
let aborted = false;

// ---------------------------------------------------------------------------------------------- helpers

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toString() : String(n));
const mib = (kib: number) => `${Math.round(kib / 1024)} MiB`;

/** A line on stderr every second while a phase runs. */
function progress(label: string, status: () => string): () => void {
  const start = now();
  const timer = setInterval(() => log(`${label} ${((now() - start) / 1000).toFixed(1)}s ${status()}`), 1000);
  return () => clearInterval(timer);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

async function waitUntil(what: string, probe: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (aborted) throw new Error(`aborted while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------- /proc

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function vmHwmKib(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

/**
 * CPU time of every process on the machine, bucketed (our services, their databases, Kafka, the rest),
 * sampled while a phase runs: pooled database connections come and go, so one snapshot at each end
 * would miss the time of those that closed in between.
 */
class CpuTracker {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, { bucket: string; ticks: number }>();
  private startAt = 0;
  private endAt = 0;
  private machineFirst?: { busy: number; total: number };
  private machineLast?: { busy: number; total: number };

  constructor(private readonly classify: (pid: number, cmdline: string) => string) {}

  sample(): void {
    const initial = this.machineFirst === undefined;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]);
        if (!this.first.has(pid)) this.first.set(pid, initial ? ticks : 0);
        const known = this.last.get(pid);
        const bucket = known?.bucket ?? this.classify(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim());
        this.last.set(pid, { bucket, ticks });
      } catch {
        // gone meanwhile
      }
    }
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
    const machine = { busy: total - cpu[3] - cpu[4], total };
    if (initial) {
      this.machineFirst = machine;
      this.startAt = now();
    }
    this.machineLast = machine;
    this.endAt = now();
  }

  /** Cores used per bucket over the sampled span, and how busy the whole machine was (0…1). */
  result(): { buckets: Map<string, number>; busy: number } {
    const seconds = Math.max(0.001, (this.endAt - this.startAt) / 1000);
    const buckets = new Map<string, number>();
    for (const [pid, { bucket, ticks }] of this.last) {
      const used = ticks - (this.first.get(pid) ?? 0);
      if (used > 0) buckets.set(bucket, (buckets.get(bucket) ?? 0) + used / CLK_TCK / seconds);
    }
    const first = this.machineFirst ?? { busy: 0, total: 0 };
    const last = this.machineLast ?? first;
    return { buckets, busy: (last.busy - first.busy) / Math.max(1, last.total - first.total) };
  }
}

// ---------------------------------------------------------------------------------------------- baselines

interface KafkaBaseline {
  messages: number;
  produceRate: number;
  endToEndRate: number;
}

/** kafkajs: one idempotent acks=all producer sending batches of 500 (as the relay does), one group reading all. */
async function kafkaBaseline(infra: TestInfra, count: number): Promise<KafkaBaseline> {
  const namespace = `b${randomBytes(4).toString('hex')}`;
  const topic = `${namespace}.baseline`;
  const groupId = `${namespace}.baseline`;
  const kafka = new Kafka({ clientId: `bench-${namespace}`, brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6 }] });
    const keys = Array.from({ length: 1000 }, (_, i) => testUscc(5_000_000 + Math.floor(rng() * 1_000_000) + i));
    const values = Array.from({ length: 1000 }, (_, i) => {
      const head = JSON.stringify({
        specversion: '1.0',
        id: `bench-${i}`,
        type: ApprovalDecidedV1.type,
        source: '/bench',
        subject: keys[i],
        data: {},
      });
      return Buffer.from(head + ' '.repeat(Math.max(0, PAYLOAD_BYTES - head.length)));
    });

    let consumed = 0;
    let lastConsumedAt = 0;
    let resolveAll!: () => void;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }) => {
        consumed += batch.messages.length;
        if (consumed >= count) {
          lastConsumedAt = now();
          resolveAll();
        }
      },
    });
    await joined;
    await producer.connect();

    let produced = 0;
    const stop = progress('kafka baseline', () => `produced ${produced} consumed ${consumed}`);
    try {
      const start = now();
      for (let i = 0; produced < count && !aborted; i++) {
        const size = Math.min(BATCH, count - produced);
        const messages: Message[] = Array.from({ length: size }, (_, j) => {
          const k = (produced + j) % values.length;
          return { key: keys[(k * 7 + i) % keys.length], value: values[k] };
        });
        await producer.send({ topic, acks: -1, messages });
        produced += size;
      }
      const producedAt = now();
      await Promise.race([
        all,
        sleep(120_000).then(() => Promise.reject(new Error(`kafka baseline: consumed ${consumed}/${count} after 120 s`))),
      ]);
      return {
        messages: count,
        produceRate: count / ((producedAt - start) / 1000),
        endToEndRate: count / ((lastConsumedAt - start) / 1000),
      };
    } finally {
      stop();
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

interface PostgresBaseline {
  rows: number;
  batchedRate: number;
  commitsPerSecond: number;
}

/** PostgreSQL: outbox-shaped rows in multi-row INSERTs of 500; then one-row transactions (a commit each). */
async function postgresBaseline(infra: TestInfra, count: number): Promise<PostgresBaseline> {
  const database = await createTestDatabase(infra, 'bench_baseline');
  let client: Client | undefined;
  try {
    client = await connectTestDatabase(infra, database);
    await client.query(`
      CREATE TABLE bench_outbox (
        id bigserial PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        event_type text NOT NULL,
        topic text NOT NULL,
        message_key text NOT NULL,
        value bytea NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await client.query(`CREATE INDEX bench_outbox_unsent ON bench_outbox (id) WHERE sent_at IS NULL`);
    const value = Buffer.alloc(PAYLOAD_BYTES, 'x');
    const headers = JSON.stringify({ 'content-type': 'application/cloudevents+json', ce_type: ApprovalDecidedV1.type });
    const prefix = randomBytes(4).toString('hex');
    const placeholders = (rows: number) =>
      Array.from(
        { length: rows },
        (_, r) => `($${r * 6 + 1}, $${r * 6 + 2}, $${r * 6 + 3}, $${r * 6 + 4}, $${r * 6 + 5}, $${r * 6 + 6})`,
      ).join(', ');
    const fullBatchSql = `INSERT INTO bench_outbox (event_id, event_type, topic, message_key, value, headers) VALUES ${placeholders(BATCH)}`;

    let inserted = 0;
    const stop = progress('postgres baseline', () => `inserted ${inserted}`);
    let batchedRate: number;
    let commits = 0;
    let commitsPerSecond: number;
    try {
      const start = now();
      while (inserted < count && !aborted) {
        const size = Math.min(BATCH, count - inserted);
        const params: unknown[] = [];
        for (let r = 0; r < size; r++) {
          params.push(
            `${prefix}-${inserted + r}`,
            ApprovalDecidedV1.type,
            'backbone.approval.events',
            testUscc(inserted + r),
            value,
            headers,
          );
        }
        await client.query(
          size === BATCH
            ? fullBatchSql
            : `INSERT INTO bench_outbox (event_id, event_type, topic, message_key, value, headers) VALUES ${placeholders(size)}`,
          params,
        );
        inserted += size;
      }
      batchedRate = inserted / ((now() - start) / 1000);

      // What an inbox pays per message: one transaction, one commit (fsync), one row.
      const commitStart = now();
      while (now() - commitStart < 3000 && !aborted) {
        await client.query(
          `INSERT INTO bench_outbox (event_id, event_type, topic, message_key, value, headers) VALUES ($1, $2, $3, $4, $5, $6)`,
          [`${prefix}-c${commits}`, ApprovalDecidedV1.type, 'backbone.approval.events', testUscc(commits), value, headers],
        );
        commits++;
      }
      commitsPerSecond = commits / ((now() - commitStart) / 1000);
    } finally {
      stop();
    }
    return { rows: inserted, batchedRate, commitsPerSecond };
  } finally {
    await client?.end().catch(() => undefined);
    await dropTestDatabase(infra, database);
  }
}

// ---------------------------------------------------------------------------------------------- HTTP

interface PostResult {
  status: number;
  text: string;
}

function postJson(agent: Agent, port: number, path: string, apiKey: string, body: string): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': apiKey },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out after 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

class Approvals {
  accepted = 0;
  retries = 0;
  lastError = '';
  private readonly entities: number;

  constructor(
    private readonly port: number,
    private readonly random: () => number,
    entities = 20_000,
  ) {
    this.entities = entities;
  }

  body(prefix: string, n: number): string {
    return JSON.stringify({
      applicationNumber: `${prefix}-${n}`,
      uscc: testUscc(1_000_000 + Math.floor(this.random() * this.entities)),
      entityName: `连云港基准测试${n}号食品有限公司`,
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind: 'licence',
      outcome: 'granted',
      licenceNumber: `JY1320703${prefix}${String(n).padStart(8, '0')}`,
    });
  }

  /** Posts one approval; retries (same application number, so idempotent) on transport errors and 5xx. */
  async submit(agent: Agent, prefix: string, n: number): Promise<void> {
    const body = this.body(prefix, n);
    for (let attempt = 1; ; attempt++) {
      let result: PostResult | undefined;
      try {
        result = await postJson(agent, this.port, '/approvals', TEST_CLIENTS[APPROVER], body);
      } catch (error) {
        this.lastError = (error as Error).message;
      }
      if (result && (result.status === 201 || result.status === 200)) {
        this.accepted++;
        return;
      }
      if (result) {
        this.lastError = `HTTP ${result.status}: ${result.text.slice(0, 300)}`;
        if (result.status < 500) throw new Error(`POST /approvals ${prefix}-${n} rejected: ${this.lastError}`);
      }
      if (attempt >= 8 || aborted) throw new Error(`POST /approvals ${prefix}-${n} failed ${attempt} times: ${this.lastError}`);
      this.retries++;
      await sleep(50 * 2 ** Math.min(attempt, 5));
    }
  }
}

// ---------------------------------------------------------------------------------------------- metrics

/** Sums of the services' Prometheus series we use to explain where time goes. */
async function scrapeMetrics(port: number): Promise<Map<string, number>> {
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

function describeMetrics(before: Map<string, number>, after: Map<string, number>, seconds: number): string {
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

// ---------------------------------------------------------------------------------------------- main

interface Results {
  cores: number;
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
  diagnostics: string[];
}

const results: Results = { cores: availableParallelism(), diagnostics: [] };

async function main(): Promise<Results> {
  log(
    `seed '${SEED}', ${results.cores} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at start`,
  );

  // 1. Baselines, before any service runs.
  const infra = await resolveInfra();
  try {
    log(`baseline: kafkajs produce→consume of ${BASELINE_MESSAGES} × ${PAYLOAD_BYTES} B in batches of ${BATCH}`);
    results.kafka = await kafkaBaseline(infra, BASELINE_MESSAGES);
    log(`baseline: kafka produce ${fmt(results.kafka.produceRate)} msgs/s, end to end ${fmt(results.kafka.endToEndRate)} msgs/s`);
    log(`baseline: postgres ${BASELINE_ROWS} rows in INSERTs of ${BATCH}`);
    results.postgres = await postgresBaseline(infra, BASELINE_ROWS);
    log(
      `baseline: postgres ${fmt(results.postgres.batchedRate)} rows/s batched, ${fmt(results.postgres.commitsPerSecond)} single-row commits/s`,
    );
  } finally {
    await infra.stop?.();
  }
  if (aborted) throw new Error('aborted');

  // 2. The system.
  log('starting approval + supervision');
  let system: TestSystem | undefined;
  try {
    system = await TestSystem.start(['approval', 'supervision'], { supervision: { AUTO_CLAIM_DEPARTMENTS: AUTO_CLAIM } });
    await runLoops(system, results);
  } finally {
    if (system) {
      log('stopping services');
      await system.stop().catch((error: unknown) => log(`stop failed: ${(error as Error).message}`));
    }
  }
  return results;
}

async function runLoops(system: TestSystem, results: Results): Promise<void> {
  const approvalDb = await system.sql('approval');
  const supervisionDb = await system.sql('supervision');
  const pollDb = await system.sql('approval');
  const approvalPort = system.service('approval').port;
  const supervisionPort = system.service('supervision').port;
  const approvals = new Approvals(approvalPort, seedrandom(`${SEED}:entities`));
  const count = async (db: Client, sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);
  const claimedCount = () => count(pollDb, `SELECT count(*) AS n FROM approval_feedback WHERE kind = 'task_claimed'`);

  const pollSupervisionDb = await system.sql('supervision');
  const approvalDbName = system.databases.get('approval') ?? '?';
  const supervisionDbName = system.databases.get('supervision') ?? '?';

  // The completion counter (and, for diagnosis, the stages before it), polled every 500 ms.
  let claimed = 0;
  let tasks = 0;
  let polling = true;
  /** While set, samples of the services' busy database connections (state <> 'idle'). */
  let activity: { approval: number[]; supervision: number[]; approvalOpen: number[] } | undefined;
  let cpuTracker: CpuTracker | undefined;
  const poller = (async () => {
    while (polling) {
      try {
        cpuTracker?.sample();
        [claimed, tasks] = await Promise.all([claimedCount(), count(pollSupervisionDb, `SELECT count(*) AS n FROM supervision_task`)]);
        if (activity) {
          const { rows } = await pollDb.query(
            `SELECT datname, count(*) FILTER (WHERE state <> 'idle') AS busy, count(*) AS open FROM pg_stat_activity
              WHERE datname = ANY($1) AND application_name = datname GROUP BY datname`,
            [[approvalDbName, supervisionDbName]],
          );
          for (const row of rows) {
            if (row.datname === approvalDbName) {
              activity.approval.push(Number(row.busy));
              activity.approvalOpen.push(Number(row.open));
            } else activity.supervision.push(Number(row.busy));
          }
        }
      } catch (error) {
        log(`poll failed: ${(error as Error).message}`);
      }
      await sleep(500);
    }
  })();
  const drain = async (label: string, target: () => number) => {
    const stop = progress(`${label} drain`, () => `tasks ${tasks} done ${claimed}/${target()}`);
    try {
      await waitUntil(
        `${label}: ${target()} claims recorded at the approver`,
        async () => (claimed = await claimedCount()) >= target(),
        DRAIN_SECONDS * 1000,
        200,
      );
    } finally {
      stop();
    }
  };

  const approvalPid = system.service('approval').pid;
  const supervisionPid = system.service('supervision').pid;
  const classify = (pid: number, cmdline: string): string => {
    if (pid === approvalPid) return 'approval';
    if (pid === supervisionPid) return 'supervision';
    if (pid === process.pid) return 'bench';
    if (cmdline.startsWith('postgres')) {
      if (cmdline.includes(approvalDbName)) return 'pg:approval';
      if (cmdline.includes(supervisionDbName)) return 'pg:supervision';
      if (/ test_\w+ /.test(cmdline) || / backbone /.test(cmdline)) return 'other';
      return 'pg:shared';
    }
    if (cmdline.includes('kafka.Kafka')) return 'kafka';
    return 'other';
  };

  try {
    // Warm-up: JIT, pools, consumer assignments.
    {
      const agent = new Agent({ keepAlive: true, maxSockets: 16 });
      log(`warm-up: ${WARMUP} approvals`);
      let next = 0;
      const stop = progress('warm-up', () => `sent ${approvals.accepted} tasks ${tasks} done ${claimed}`);
      try {
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (next < WARMUP && !aborted) await approvals.submit(agent, 'BW', next++);
          }),
        );
      } finally {
        stop();
      }
      await drain('warm-up', () => approvals.accepted);
      agent.destroy();
    }

    // 3. Throughput: closed loop, CONCURRENCY requests in flight, until APPROVALS or SEND_SECONDS.
    {
      const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const base = approvals.accepted;
      const claimedBase = await claimedCount();
      const tasksBase = await count(supervisionDb, `SELECT count(*) AS n FROM supervision_task`);
      const retriesBase = approvals.retries;
      const sent = () => approvals.accepted - base;
      log(`throughput: up to ${APPROVALS} approvals or ${SEND_SECONDS} s, ${CONCURRENCY} requests in flight`);
      const metricsBefore = await Promise.all([scrapeMetrics(approvalPort), scrapeMetrics(supervisionPort)]);
      const cpu = new CpuTracker(classify);
      cpu.sample();
      cpuTracker = cpu;
      const startWall = Date.now();
      const start = now();
      const deadline = start + SEND_SECONDS * 1000;
      let next = 0;
      let lastDone = 0;
      const stop = progress('throughput', () => {
        const done = claimed - claimedBase;
        const line = `sent ${sent()} tasks ${tasks - tasksBase} done ${done} (${fmt(done / ((now() - start) / 1000))}/s avg, ${fmt(done - lastDone)}/s now)`;
        lastDone = done;
        return line;
      });
      let sendSeconds: number;
      activity = { approval: [], supervision: [], approvalOpen: [] };
      const sampled = activity;
      let whileSending: { tasks: number; done: number };
      let lagWhileSending: Map<string, number>[];
      try {
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < APPROVALS && now() < deadline && !aborted) await approvals.submit(agent, 'BT', next++);
          }),
        );
        sendSeconds = (now() - start) / 1000;
        activity = undefined;
        lagWhileSending = await Promise.all([scrapeMetrics(approvalPort), scrapeMetrics(supervisionPort)]);
        whileSending = {
          tasks: (await count(supervisionDb, `SELECT count(*) AS n FROM supervision_task`)) - tasksBase,
          done: (await claimedCount()) - claimedBase,
        };
        log(
          `throughput: ${sent()} approvals accepted in ${sendSeconds.toFixed(1)} s (${fmt(sent() / sendSeconds)}/s over HTTP); waiting for the loops`,
        );
      } finally {
        stop();
      }
      await drain('throughput', () => claimedBase + sent());
      cpuTracker = undefined;
      cpu.sample();
      const metricsAfter = await Promise.all([scrapeMetrics(approvalPort), scrapeMetrics(supervisionPort)]);
      const { rows } = await approvalDb.query(
        `SELECT max(f.received_at) AS last FROM approval_feedback f JOIN approval a ON a.id = f.approval_id
          WHERE f.kind = 'task_claimed' AND a.application_number LIKE 'BT-%'`,
      );
      const lastMs = new Date(rows[0].last).getTime();
      const seconds = Math.max(sendSeconds, (lastMs - startWall) / 1000);
      const loops = sent();
      results.throughput = {
        loops,
        seconds,
        rate: loops / seconds,
        ingestRate: loops / sendSeconds,
        retries: approvals.retries - retriesBase,
      };
      log(`throughput: ${loops} loops in ${seconds.toFixed(1)} s = ${fmt(loops / seconds)} loops/s`);
      const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
      results.diagnostics.push(
        `while sending (${sendSeconds.toFixed(1)} s): ${loops} approvals accepted, ${whileSending.tasks} tasks created in supervision ` +
          `(${fmt(whileSending.tasks / sendSeconds)}/s), ${whileSending.done} loops completed (${fmt(whileSending.done / sendSeconds)}/s); ` +
          `after: remaining ${loops - whileSending.done} loops in ${(seconds - sendSeconds).toFixed(1)} s (${fmt((loops - whileSending.done) / Math.max(0.001, seconds - sendSeconds))}/s)`,
      );
      results.diagnostics.push(
        `db connections busy while sending (avg): approval ${avg(sampled.approval).toFixed(1)} of ${avg(sampled.approvalOpen).toFixed(1)} open (DATABASE_POOL_SIZE default 20), supervision ${avg(sampled.supervision).toFixed(1)}`,
      );

      const { buckets, busy } = cpu.result();
      const order = ['approval', 'supervision', 'pg:approval', 'pg:supervision', 'pg:shared', 'kafka', 'bench', 'other'];
      results.cpu =
        order.map((bucket) => `${bucket} ${(buckets.get(bucket) ?? 0).toFixed(2)}`).join(', ') +
        ` | machine ${(busy * 100).toFixed(0)}% busy of ${results.cores} cores`;
      results.cpuOther = buckets.get('other') ?? 0;
      const loopBuckets = order.filter((bucket) => bucket !== 'bench' && bucket !== 'other');
      const msPerLoop = (bucket: string) => ((buckets.get(bucket) ?? 0) * seconds * 1000) / loops;
      const perLoop = loopBuckets.reduce((total, bucket) => total + msPerLoop(bucket), 0);
      results.diagnostics.push(
        `cpu per loop (ms, services + their postgres + kafka): ${perLoop.toFixed(1)} = ` +
          loopBuckets.map((bucket) => `${bucket} ${msPerLoop(bucket).toFixed(1)}`).join(', ') +
          ` -> CPU ceiling on ${results.cores} cores ≈ ${fmt((results.cores * 1000) / perLoop)} loops/s; ${GOAL_LOOPS_PER_S}/s would need ≈ ${((GOAL_LOOPS_PER_S * perLoop) / 1000).toFixed(0)} cores`,
      );
      const lag = (m: Map<string, number>) =>
        ['mean', 'p99', 'max'].map((q) => fmt((m.get(`nodejs_eventloop_lag_${q}_seconds`) ?? NaN) * 1000)).join('/');
      results.diagnostics.push(
        `event-loop delay mean/p99/max (ms) while sending: approval ${lag(lagWhileSending[0])}, supervision ${lag(lagWhileSending[1])}; ` +
          `while draining: approval ${lag(metricsAfter[0])}, supervision ${lag(metricsAfter[1])}`,
      );
      results.diagnostics.push(`approval    : ${describeMetrics(metricsBefore[0], metricsAfter[0], seconds)}`);
      results.diagnostics.push(`supervision : ${describeMetrics(metricsBefore[1], metricsAfter[1], seconds)}`);
      agent.destroy();
    }

    // 4. Latency: open loop at half the sustained rate (or BENCH_LATENCY_RATE).
    {
      const rate = LATENCY_RATE ?? Math.max(1, results.throughput.rate / 2);
      const total = Math.max(1, Math.round(rate * LATENCY_SECONDS));
      const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
      await sleep(2000); // let the throughput phase's aftermath (autovacuum, GC) settle
      const base = approvals.accepted;
      const claimedBase = await claimedCount();
      log(`latency: ${total} approvals at ${fmt(rate)}/s (open loop) for ${LATENCY_SECONDS} s`);
      const cpu = new CpuTracker(classify);
      cpu.sample();
      cpuTracker = cpu;
      const httpMs: number[] = [];
      const inflight = new Set<Promise<void>>();
      let failure: unknown;
      let issued = 0;
      const start = now();
      const stop = progress(
        'latency',
        () => `sent ${issued} accepted ${approvals.accepted - base} in flight ${inflight.size} done ${claimed - claimedBase}`,
      );
      try {
        while (issued < total && !aborted && !failure) {
          const due = Math.min(total, Math.floor(((now() - start) / 1000) * rate) + 1);
          while (issued < due) {
            const n = issued++;
            const scheduled = start + (n / rate) * 1000; // from when it was due: no coordinated omission
            const request = approvals
              .submit(agent, 'BL', n)
              .then(() => void httpMs.push(now() - scheduled))
              .catch((error: unknown) => void (failure ??= error))
              .finally(() => inflight.delete(request));
            inflight.add(request);
          }
          if (inflight.size > 5000)
            throw new Error(`latency phase: ${inflight.size} requests in flight, the system fell behind ${fmt(rate)}/s`);
          await sleep(2);
        }
        await Promise.all(inflight);
      } finally {
        stop();
      }
      if (failure) throw failure;
      const achievedRate = total / ((now() - start) / 1000);
      cpuTracker = undefined;
      cpu.sample();
      const latencyCpu = cpu.result();
      results.latencyNoise = `machine ${(latencyCpu.busy * 100).toFixed(0)}% busy, other processes ${(latencyCpu.buckets.get('other') ?? 0).toFixed(2)} cores`;
      await drain('latency', () => claimedBase + (approvals.accepted - base));
      const { rows } = await approvalDb.query(`
        SELECT count(*) AS n,
               percentile_disc(0.50) WITHIN GROUP (ORDER BY ms) AS p50,
               percentile_disc(0.95) WITHIN GROUP (ORDER BY ms) AS p95,
               percentile_disc(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
               max(ms) AS max
          FROM (SELECT EXTRACT(EPOCH FROM (f.received_at - a.created_at)) * 1000 AS ms
                  FROM approval a JOIN approval_feedback f ON f.approval_id = a.id AND f.kind = 'task_claimed'
                 WHERE a.application_number LIKE 'BL-%') AS loop`);
      results.diagnostics.push(`latency hops p50/p99 (ms): ${await hopBreakdown(approvalDb, supervisionDb)}`);
      const sortedHttp = httpMs.sort((a, b) => a - b);
      results.latency = {
        rate,
        achievedRate,
        sent: Number(rows[0].n),
        p50: Number(rows[0].p50),
        p95: Number(rows[0].p95),
        p99: Number(rows[0].p99),
        max: Number(rows[0].max),
        httpP50: percentile(sortedHttp, 0.5),
        httpP99: percentile(sortedHttp, 0.99),
      };
      agent.destroy();
    }

    // 5. Peak memory, before anything stops.
    results.memory = {
      approval: vmHwmKib(approvalPid),
      supervision: vmHwmKib(supervisionPid),
      bench: process.resourceUsage().maxRSS, // KiB
    };

    // 6. Exactly once: every accepted approval has one task, one assigned and one claimed feedback row.
    const total = approvals.accepted;
    const lines: string[] = [];
    let ok = true;
    const expect = (what: string, actual: number, expected: number) => {
      const pass = actual === expected;
      ok &&= pass;
      lines.push(`${pass ? 'ok  ' : 'FAIL'} ${what}: ${actual}${pass ? '' : ` (expected ${expected})`}`);
    };
    await waitUntil(
      'both outboxes drained',
      async () =>
        (await count(approvalDb, `SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`)) === 0 &&
        (await count(supervisionDb, `SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`)) === 0,
      30_000,
      200,
    ).catch(() => undefined);
    expect('approvals stored', await count(approvalDb, `SELECT count(*) AS n FROM approval`), total);
    expect(
      'supervision tasks (one per approval)',
      await count(supervisionDb, `SELECT count(DISTINCT approval_id) AS n FROM supervision_task`),
      total,
    );
    expect(
      'supervision tasks claimed',
      await count(supervisionDb, `SELECT count(*) AS n FROM supervision_task WHERE status = 'claimed'`),
      total,
    );
    expect(
      `task_claimed feedback rows`,
      await count(approvalDb, `SELECT count(*) AS n FROM approval_feedback WHERE kind = 'task_claimed'`),
      total,
    );
    expect(
      'approvals without exactly one task_claimed row',
      await count(
        approvalDb,
        `
        SELECT count(*) AS n FROM approval a
          LEFT JOIN (SELECT approval_id, count(*) AS c FROM approval_feedback WHERE kind = 'task_claimed' GROUP BY approval_id) f
            ON f.approval_id = a.id
         WHERE coalesce(f.c, 0) <> 1`,
      ),
      0,
    );
    expect(
      'approvals without exactly one task_assigned row',
      await count(
        approvalDb,
        `
        SELECT count(*) AS n FROM approval a
          LEFT JOIN (SELECT approval_id, count(*) AS c FROM approval_feedback WHERE kind = 'task_assigned' GROUP BY approval_id) f
            ON f.approval_id = a.id
         WHERE coalesce(f.c, 0) <> 1`,
      ),
      0,
    );
    expect(
      'approvals not in status claimed',
      await count(approvalDb, `SELECT count(*) AS n FROM approval WHERE supervision_status <> 'claimed'`),
      0,
    );
    expect(
      'unsent outbox rows (approval + supervision)',
      (await count(approvalDb, `SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`)) +
        (await count(supervisionDb, `SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`)),
      0,
    );
    expect(
      'dead letters (approval + supervision)',
      (await count(approvalDb, `SELECT count(*) AS n FROM dead_letter`)) +
        (await count(supervisionDb, `SELECT count(*) AS n FROM dead_letter`)),
      0,
    );
    results.check = {
      ok,
      lines: [`${total} approvals accepted over HTTP (warm-up + throughput + latency), ${approvals.retries} retried posts`, ...lines],
    };
  } finally {
    polling = false;
    await poller;
  }
}

/**
 * Where a loop of the latency phase spends its time, from both databases joined on the correlation id:
 * approval stored → decided event acknowledged by Kafka (approval outbox sent_at) → supervision's inbox
 * transaction → task-claimed acknowledged by Kafka (supervision outbox sent_at) → recorded at the approver.
 */
async function hopBreakdown(approvalDb: Client, supervisionDb: Client): Promise<string> {
  const [approvalRows, supervisionRows] = await Promise.all([
    approvalDb.query(
      `SELECT a.correlation_id::text AS id, a.created_at, o.sent_at, f.received_at
         FROM approval a
         JOIN outbox o ON o.correlation_id = a.correlation_id::text AND o.event_type = $1
         JOIN approval_feedback f ON f.approval_id = a.id AND f.kind = 'task_claimed'
        WHERE a.application_number LIKE 'BL-%'`,
      [ApprovalDecidedV2.type],
    ),
    supervisionDb.query(
      `SELECT i.correlation_id AS id, i.processed_at, o.sent_at
         FROM inbox i JOIN outbox o ON o.correlation_id = i.correlation_id AND o.event_type = $2
        WHERE i.event_type = $1`,
      [ApprovalDecidedV2.type, TaskClaimedV1.type],
    ),
  ]);
  const supervision = new Map(supervisionRows.rows.map((row) => [row.id as string, row]));
  const hops: number[][] = [[], [], [], []];
  for (const row of approvalRows.rows) {
    const other = supervision.get(row.id);
    if (!other) continue;
    const t = [row.created_at, row.sent_at, other.processed_at, other.sent_at, row.received_at].map((d: Date) => new Date(d).getTime());
    for (let i = 0; i < 4; i++) hops[i].push(t[i + 1] - t[i]);
  }
  const names = [
    'approval stored→decided acked by kafka',
    '→supervision inbox txn',
    '→task-claimed acked by kafka',
    '→claim recorded at approver',
  ];
  return hops
    .map((values, i) => {
      const sorted = values.sort((a, b) => a - b);
      return `${names[i]} ${fmt(percentile(sorted, 0.5))}/${fmt(percentile(sorted, 0.99))}`;
    })
    .join(', ');
}

function summary(r: Results): string {
  const out: string[] = [];
  out.push(`== loop benchmark (${r.cores} cores) ==`);
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
      `sustained loops/s                : ${fmt(r.throughput.rate)} (${r.throughput.loops} loops in ${r.throughput.seconds.toFixed(1)} s; HTTP accepted ${fmt(r.throughput.ingestRate)}/s at concurrency ${CONCURRENCY})`,
    );
  }
  if (r.latency) {
    const l = r.latency;
    out.push(
      `latency at ${fmt(l.rate)}/s (p50/p95/p99/max): ${fmt(l.p50)} / ${fmt(l.p95)} / ${fmt(l.p99)} / ${fmt(l.max)} ms (${l.sent} loops, sent at ${fmt(l.achievedRate)}/s; POST p50/p99 ${fmt(l.httpP50)} / ${fmt(l.httpP99)} ms)`,
    );
  }
  if (r.latencyNoise) out.push(`cpu in latency phase             : ${r.latencyNoise}`);
  if (r.memory)
    out.push(
      `peak memory (VmHWM) approval ${mib(r.memory.approval)}, supervision ${mib(r.memory.supervision)}, bench ${mib(r.memory.bench)} (maxRSS)`,
    );
  if (r.cpu)
    out.push(
      `cpu in throughput phase (cores)  : ${r.cpu}${r.cpuOther !== undefined && r.cpuOther > 0.25 ? '  <- other processes busy: numbers are noisy' : ''}`,
    );
  for (const line of r.diagnostics) out.push(line);
  if (r.check) {
    out.push(`exactly-once check               : ${r.check.ok ? 'PASSED' : 'FAILED'}`);
    for (const line of r.check.lines) out.push(`  ${line}`);
  }
  if (r.throughput && r.latency) {
    const rateMet = r.throughput.rate >= GOAL_LOOPS_PER_S;
    const latencyMet = r.latency.p99 < GOAL_P99_MS;
    const verdict =
      rateMet && latencyMet
        ? 'MET'
        : `NOT MET (${[rateMet ? 'throughput met' : `throughput ${fmt(r.throughput.rate)} < ${GOAL_LOOPS_PER_S}/s`, latencyMet ? 'p99 met' : `p99 ${fmt(r.latency.p99)} ms >= ${GOAL_P99_MS} ms`].join('; ')})`;
    out.push(`goal: >= ${GOAL_LOOPS_PER_S} loops/s sustained, p99 < ${GOAL_P99_MS} ms at half rate -> ${verdict}`);
  }
  return out.join('\n');
}

let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    aborted = true;
    if (++interrupts > 1) process.exit(130);
    log(`${signal}: stopping (again to exit at once)`);
  });
}

const started = now();
main()
  .then((results) => {
    process.stdout.write(`\n${summary(results)}\n`);
    log(`total ${((now() - started) / 1000).toFixed(0)} s`);
    process.exit(results.check?.ok ? 0 : 1);
  })
  .catch((error: unknown) => {
    process.stdout.write(`\n${summary(results)}\n`);
    log(`FAILED: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  });
