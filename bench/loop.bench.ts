/**
 * Loop benchmark: approval → Kafka → supervision (routes and auto-claims) → Kafka → the claim recorded
 * at the approver, with the real services as separate processes on the real infrastructure.
 *
 *   npm run bench            (builds, then runs dist/bench/loop.bench.js)
 *
 * Phases: baselines of the raw infrastructure (kafkajs produce→consume, PostgreSQL batched insert,
 * single-row commits), a warm-up (the throughput phase's loop for two minutes: ADR 0095), a throughput
 * phase (closed loop, bounded concurrency) with the per-loop budget (SQL statements, transactions, rows,
 * Kafka handlings, CPU per process), a latency phase (open loop at P2's 1,000 loops/s once the throughput
 * phase sustained it, else at half the sustained rate: ADR 0112), P2's REST half (POST /approvals at 500 a
 * second with the loop running, each POST timed from when it was due; where approval's own time went and which
 * seconds the slow ones were due in: ADR 0126; beside both open-loop phases what the disk did and what PostgreSQL
 * wrote to its WAL, every commit waiting for its share, and in the REST phase how long the machine made some task
 * wait for a core or for I/O each second: ADR 0098, 0127), peak memory, an exactly-once check, and
 * a backlog drain (decided events produced while supervision is stopped, then applied). Exits non-zero
 * when the check fails or anything goes wrong; stops whatever it started in any case. The pieces (driver,
 * baselines, /proc, metrics, budget, report) live in bench/lib for other benches.
 *
 * Knobs (environment): BENCH_APPROVALS (90000: 30 s at 3,000 loops/s), BENCH_SECONDS (30), BENCH_CONCURRENCY (64),
 * BENCH_LATENCY_SECONDS (20), BENCH_LATENCY_RATE (1,000/s or half the sustained rate, as above), BENCH_POST_SECONDS
 * (20: the phase at P2's REST rate),
 * BENCH_BASELINE_MESSAGES (200000), BENCH_BASELINE_ROWS (= messages), BENCH_WARMUP_SECONDS (120),
 * BENCH_DRAIN_SECONDS (90), BENCH_BACKLOG (100000), BENCH_BACKLOG_SECONDS (120), BENCH_SEED ('loop-bench'),
 * BENCH_HEAP_SNAPSHOT (a directory: once the memory figures are read, each service writes a heap snapshot
 * there; summarise it with `node dist/bench/lib/heap-snapshot.js <file> [--retainers Name]`),
 * BENCH_APPROVAL_REPLICAS (1: how many approval processes take the POSTs, in turn, as deploy/k8s runs two;
 * their CPU is counted together as approval's, their Kafka handlings summed, the event-loop delay and
 * peak memory the largest of them: ADR 0122).
 *
 * Profiling (honoured by ServiceProcess, so by every bench and e2e spec): BENCH_CPU_PROF=approval,supervision
 * (or `all`) runs those services with `node --cpu-prof`, one .cpuprofile per process in BENCH_PROFILE_DIR
 * (default .stack/profiles), written when the service stops; BENCH_ALLOC_PROF (the same lists) samples
 * what they allocate, into .heapprofile files beside them (`node dist/bench/lib/alloc-profile.js`);
 * BENCH_NODE_ARGS adds node flags to every service. Summarise a CPU profile with
 * `node dist/bench/lib/cpu-profile.js <file> [--top N] [--match text]`.
 */
import { readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import type { Pool } from 'undici';
import seedrandom from 'seedrandom';
import { ApprovalDecidedV2, TaskAssignedV1, TaskClaimedV1 } from '@backbone/contracts';
import { resolveInfra, TestSystem } from '@backbone/testing';
import { drainBacklog, drainProcesses, produceBacklog } from './lib/backlog';
import { BATCH, kafkaBaseline, PAYLOAD_BYTES, postgresBaseline } from './lib/baselines';
import {
  dbCounters,
  DbCounters,
  describeBudget,
  describeTableWrites,
  enableStatementCounts,
  perLoop as loopBudget,
  tableCounters,
} from './lib/budget';
import { Approvals, describeSlow, type OpenLoop, slowBySecond, tailOf } from './lib/driver';
import { describeBusy, MachineSpeedProbe } from './lib/machine-speed';
import {
  addBuckets,
  APPROVAL_HISTOGRAMS,
  bucketShares,
  describeAnswerShares,
  describeGc,
  describeLag,
  describeMemory,
  describeMetrics,
  kafkaHandlings,
  MemoryPeak,
  metricsOf,
  metricsText,
  scrapeMetrics,
  directPosts,
  sumMetrics,
} from './lib/metrics';
import { CpuTracker, vmHwmKib } from './lib/proc';
import { RunnableSampler } from './lib/runnable';
import { describePressure, type PressureBySecond, PressureProbe } from './lib/pressure';
import { StorageProbe } from './lib/storage';
import { describeWal, walSample } from './lib/wal';
import { describeVacuum, Goals, ISSUE_GOALS, latencyRate, Results, summary } from './lib/report';
import { fmt, knob, log, now, percentile, progress, run, sleep, waitUntil } from './lib/util';

const APPROVALS = Math.floor(knob('BENCH_APPROVALS', 90_000));
const SEND_SECONDS = knob('BENCH_SECONDS', 30);
const CONCURRENCY = Math.floor(knob('BENCH_CONCURRENCY', 64));
const LATENCY_SECONDS = knob('BENCH_LATENCY_SECONDS', 20);
const LATENCY_RATE = process.env.BENCH_LATENCY_RATE ? knob('BENCH_LATENCY_RATE', 1) : undefined;
const POST_SECONDS = knob('BENCH_POST_SECONDS', 20);
const BASELINE_MESSAGES = Math.floor(knob('BENCH_BASELINE_MESSAGES', 200_000));
const BASELINE_ROWS = Math.floor(knob('BENCH_BASELINE_ROWS', BASELINE_MESSAGES));
/**
 * The warm-up runs the throughput phase's closed loop for this long first. V8 optimises the services' hot
 * code during their first minutes: TurboFan's background compiles were 21 % of the two services' CPU in
 * the first 10 s of load, 13 % at 55 s and 5 % at 125 s (ADR 0095). "Sustained" is the rate after that.
 */
const WARMUP_SECONDS = knob('BENCH_WARMUP_SECONDS', 120);
/** The warm-up's first this many seconds are reported apart: the rate and CPU of services just started. */
const COLD_SECONDS = 30;
const DRAIN_SECONDS = knob('BENCH_DRAIN_SECONDS', 90);
const BACKLOG = Math.floor(knob('BENCH_BACKLOG', 100_000));
const BACKLOG_SECONDS = knob('BENCH_BACKLOG_SECONDS', 120);
const SEED = process.env.BENCH_SEED ?? 'loop-bench';
const HEAP_SNAPSHOT_DIR = process.env.BENCH_HEAP_SNAPSHOT;
const APPROVAL_REPLICAS = Math.max(1, Math.floor(knob('BENCH_APPROVAL_REPLICAS', 1)));
const AUTO_CLAIM = '320700-SAMR';
/** The processes whose CPU is the loop's: the services, their PostgreSQL, Kafka. */
const LOOP_BUCKETS = ['approval', 'supervision', 'pg:approval', 'pg:supervision', 'pg:shared', 'kafka'];
/** A phase's CPU per process, in cores: the loop's, then the bench's own and everything else's. */
const describeCores = (buckets: Map<string, number>) =>
  [...LOOP_BUCKETS, 'bench', 'other'].map((bucket) => `${bucket} ${(buckets.get(bucket) ?? 0).toFixed(2)}`).join(', ');
const GOALS: Goals = { concurrency: CONCURRENCY, ...ISSUE_GOALS };
/** The latency phase stops sending when more requests than this wait for an answer: it fell behind its rate. */
const MAX_IN_FLIGHT = 5000;

const rng = seedrandom(SEED);

const results: Results = { cores: availableParallelism(), diagnostics: [] };

const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<Results> {
  results.load = `${loadNow()} at start`;
  log(`seed '${SEED}', ${results.cores} cores, load average ${loadNow()} at start`);
  // How fast the machine is today, before and after (ADR 0110): its speed moves the CPU figures below.
  const speed = new MachineSpeedProbe();
  results.speed = speed.atStart();
  log(`machine: ${results.speed}`);

  // 1. Baselines, before any service runs.
  const infra = await resolveInfra();
  try {
    log(`baseline: kafkajs produce→consume of ${BASELINE_MESSAGES} × ${PAYLOAD_BYTES} B in batches of ${BATCH}`);
    results.kafka = await kafkaBaseline(infra, BASELINE_MESSAGES, rng);
    log(`baseline: kafka produce ${fmt(results.kafka.produceRate)} msgs/s, end to end ${fmt(results.kafka.endToEndRate)} msgs/s`);
    log(`baseline: postgres ${BASELINE_ROWS} rows in INSERTs of ${BATCH}`);
    results.postgres = await postgresBaseline(infra, BASELINE_ROWS);
    log(
      `baseline: postgres ${fmt(results.postgres.batchedRate)} rows/s batched, ${fmt(results.postgres.commitsPerSecond)} single-row commits/s`,
    );
  } finally {
    await infra.stop?.();
  }
  if (run.aborted) throw new Error('run.aborted');

  // 2. The system.
  log('starting approval + supervision');
  let system: TestSystem | undefined;
  try {
    system = await TestSystem.start(
      ['approval', 'supervision'],
      { supervision: { AUTO_CLAIM_DEPARTMENTS: AUTO_CLAIM } },
      { ownSessions: true }, // as npm start runs them (ADR 0130)
    );
    await runLoops(system, results);
  } finally {
    if (system) {
      log('stopping services');
      await system.stop().catch((error: unknown) => log(`stop failed: ${(error as Error).message}`));
    }
  }
  results.speed = speed.atEnd();
  return results;
}

async function runLoops(system: TestSystem, results: Results): Promise<void> {
  const approvalDb = await system.sql('approval');
  const supervisionDb = await system.sql('supervision');
  const pollDb = await system.sql('approval');
  const approvalPort = system.service('approval').port;
  const supervisionPort = system.service('supervision').port;
  // Further approval processes (BENCH_APPROVAL_REPLICAS), sharing its database, consumer group and relay lock.
  const approvalInstances: Array<{ name: string; port: number; pid?: number }> = [
    { name: 'approval', port: approvalPort, pid: system.service('approval').pid },
  ];
  for (let n = 2; n <= APPROVAL_REPLICAS; n++) {
    log(`starting approval process ${n} of ${APPROVAL_REPLICAS}`);
    const { port, pid } = await system.startReplica('approval');
    approvalInstances.push({ name: `approval ${n}`, port, pid });
  }
  if (APPROVAL_REPLICAS > 1)
    results.diagnostics.push(
      `approval runs as ${APPROVAL_REPLICAS} processes taking the POSTs in turn (BENCH_APPROVAL_REPLICAS): its CPU is theirs together, its event-loop delay and peak memory the largest of theirs`,
    );
  const approvals = new Approvals(approvalPort, seedrandom(`${SEED}:entities`));
  /** Keep-alive pools to every approval process, `connections` each (requests take them in turn). */
  const approvalPools = (connections: number) => approvalInstances.map(({ port }) => approvals.pool(connections, port));
  /**
   * Approval's histograms of a POST's time (APPROVAL_HISTOGRAMS), over all its processes, and their metrics
   * as one (the event-loop delay since the previous scrape, which resets it: the largest of theirs).
   */
  const approvalTimes = async () => {
    const texts = await Promise.all(approvalInstances.map(({ port }) => metricsText(port)));
    const summed = (kind: keyof typeof APPROVAL_HISTOGRAMS) =>
      texts.reduce((total, text) => addBuckets(total, APPROVAL_HISTOGRAMS[kind](text)), new Map<number, number>());
    return { answer: summed('answer'), wait: summed('wait'), write: summed('write'), metrics: sumMetrics(texts.map(metricsOf)) };
  };
  const destroyPools = (pools: Pool[]) => Promise.all(pools.map((pool) => pool.destroy()));
  /** Approval's metrics, summed over its processes (the event-loop delay: the largest of theirs). */
  const scrapeApproval = async () => sumMetrics(await Promise.all(approvalInstances.map(({ port }) => scrapeMetrics(port))));
  /** The closed loop: CONCURRENCY requests in flight, numbered from 0 under `prefix`, until `count` are sent or `deadline`. */
  const sendClosedLoop = (pools: Pool[], prefix: string, deadline: number, count = Infinity) => {
    let next = 0;
    return Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        const pool = pools[worker % pools.length];
        while (next < count && now() < deadline && !run.aborted) await approvals.submit(pool, prefix, next++);
      }),
    );
  };
  const count = async (db: Client, sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);
  // A claim applied at the approver: its task-claimed event in the trail, its record there (ADR 0031).
  const claimedCount = () => count(pollDb, `SELECT count(*) AS n FROM loop_event WHERE type = $1`, [TaskClaimedV1.type]);

  const pollSupervisionDb = await system.sql('supervision');
  // The bench's own counts are full scans: each on one core, as the services' periodic jobs run theirs (ADR
  // 0126), so that measuring takes no more of the machine than it must.
  for (const db of [approvalDb, supervisionDb, pollDb, pollSupervisionDb]) await db.query(`SET max_parallel_workers_per_gather = 0`);
  const approvalDbName = system.databases.get('approval') ?? '?';
  const supervisionDbName = system.databases.get('supervision') ?? '?';
  /** The services' databases as describeVacuum names them. */
  const serviceDatabases: Array<[string, string]> = [
    ['approval', approvalDbName],
    ['supervision', supervisionDbName],
  ];

  // The completion counter (and, for diagnosis, the stages before it): counted every 500 ms while the
  // bench waits for it, every 5 s while a phase sends. Each count reads the whole trail or task table
  // (15–34 ms a call late in a run), work the loop would pay for; a phase's figures take exact counts at
  // its ends (ADR 0080).
  let claimed = 0;
  let tasks = 0;
  let countedAt = 0;
  let countEveryMs = 500;
  /** Off during the backlog drain: it has its own progress, and the counts' CPU would be counted as the drain's. */
  let counting = true;
  let polling = true;
  /** While set, samples of the services' busy database connections (state <> 'idle'). */
  let activity:
    | {
        approval: number[];
        supervision: number[];
        approvalOpen: number[];
        /** Per service database: samples in which an autovacuum worker ran there, and on which tables. */
        vacuum: Map<string, { samples: number; tables: Set<string> }>;
      }
    | undefined;
  let cpuTracker: CpuTracker | undefined;
  /** Samples the machine's CPU over a phase, at its start and end and at each poll; the function returned ends it. */
  const phaseCpu = () => {
    const cpu = new CpuTracker(classify);
    cpu.sample();
    cpuTracker = cpu;
    return () => {
      cpuTracker = undefined;
      cpu.sample();
      return cpu.result();
    };
  };
  /** The latency phase's figures, read from the databases once the REST phase is over. */
  let latencyReport: (() => Promise<void>) | undefined;
  const poller = (async () => {
    while (polling) {
      try {
        cpuTracker?.sample();
        if (counting && now() - countedAt >= countEveryMs) {
          countedAt = now();
          [claimed, tasks] = await Promise.all([claimedCount(), count(pollSupervisionDb, `SELECT count(*) AS n FROM supervision_task`)]);
        }
        if (activity) {
          // The services' own connections (named after their database), and autovacuum's workers in the same
          // databases: their CPU counts with that database's (ADR 0095).
          const { rows } = await pollDb.query(
            `SELECT datname, count(*) FILTER (WHERE application_name = datname AND state <> 'idle') AS busy,
                    count(*) FILTER (WHERE application_name = datname) AS open,
                    array_remove(array_agg(substring(query FROM 'autovacuum: [A-Z ]+ (?:public\\.)?([a-z_]+)')), NULL) AS vacuuming
               FROM pg_stat_activity WHERE datname = ANY($1) GROUP BY datname`,
            [[approvalDbName, supervisionDbName]],
          );
          for (const row of rows) {
            if (row.datname === approvalDbName) {
              activity.approval.push(Number(row.busy));
              activity.approvalOpen.push(Number(row.open));
            } else activity.supervision.push(Number(row.busy));
            const tables = row.vacuuming as string[];
            if (tables.length > 0) {
              const seen = activity.vacuum.get(row.datname) ?? { samples: 0, tables: new Set<string>() };
              seen.samples += 1;
              for (const table of tables) seen.tables.add(table);
              activity.vacuum.set(row.datname, seen);
            }
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

  const approvalPids = new Set(approvalInstances.map(({ pid }) => pid));
  const supervisionPid = system.service('supervision').pid;
  const classify = (pid: number, cmdline: string): string => {
    if (approvalPids.has(pid)) return 'approval';
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

  // What each service's peak resident set is made of: its resident set read every second, /metrics at a new peak.
  const peaked = [...approvalInstances, { name: 'supervision', port: supervisionPort, pid: supervisionPid }].map((instance) => ({
    ...instance,
    peak: new MemoryPeak(instance.port, instance.pid),
  }));
  for (const { peak } of peaked) peak.start();

  try {
    // Warm-up: the throughput phase's closed loop for WARMUP_SECONDS (JIT, pools, consumer assignments). Its
    // first COLD_SECONDS are measured apart (services just started), and loops closed per window are printed.
    {
      const pools = approvalPools(CONCURRENCY);
      log(`warm-up: ${WARMUP_SECONDS} s, ${CONCURRENCY} requests in flight`);
      const base = approvals.accepted;
      const claimedBase = await claimedCount();
      const cold = new CpuTracker(classify);
      cold.sample();
      const start = now();
      const deadline = start + WARMUP_SECONDS * 1000;
      const windowMs = Math.max(5000, (WARMUP_SECONDS * 1000) / 6);
      const windows: number[] = [];
      let coldLoops: number | undefined;
      const stop = progress('warm-up', () => `sent ${approvals.accepted - base} tasks ${tasks} done ${claimed - claimedBase}`);
      countEveryMs = 5000; // as while the throughput phase sends
      // Exact counts at each window's end (the poller's own count is only every 5 s meanwhile).
      const marks = (async () => {
        let previous = claimedBase;
        let coldTaken = COLD_SECONDS * 1000 > WARMUP_SECONDS * 1000;
        for (let at = windowMs; at <= WARMUP_SECONDS * 1000 && !run.aborted; at += windowMs) {
          if (!coldTaken && at > COLD_SECONDS * 1000) {
            await sleep(Math.max(0, start + COLD_SECONDS * 1000 - now()));
            cold.sample();
            coldLoops = (await claimedCount()) - claimedBase;
            coldTaken = true;
          }
          await sleep(Math.max(0, start + at - now()));
          const done = await claimedCount();
          windows.push(done - previous);
          previous = done;
        }
      })();
      try {
        await sendClosedLoop(pools, 'BW', deadline);
        await marks;
      } finally {
        countEveryMs = 500;
        stop();
      }
      await drain('warm-up', () => claimedBase + (approvals.accepted - base));
      await destroyPools(pools);
      const loops = approvals.accepted - base;
      const windowSeconds = windowMs / 1000;
      results.warmup = { seconds: WARMUP_SECONDS, loops, windowSeconds, windows };
      if (coldLoops !== undefined && coldLoops > 0) {
        const { buckets, seconds } = cold.result();
        const cores = LOOP_BUCKETS.reduce((total, bucket) => total + (buckets.get(bucket) ?? 0), 0);
        results.warmup.cold = { seconds, loops: coldLoops, msPerLoop: (cores * seconds * 1000) / coldLoops };
      }
    }

    // 3. Throughput: closed loop, CONCURRENCY requests in flight, until APPROVALS or SEND_SECONDS.
    {
      const pools = approvalPools(CONCURRENCY);
      const base = approvals.accepted;
      const claimedBase = await claimedCount();
      const tasksBase = await count(supervisionDb, `SELECT count(*) AS n FROM supervision_task`);
      [claimed, tasks, countedAt] = [claimedBase, tasksBase, now()];
      const retriesBase = approvals.retries;
      const sent = () => approvals.accepted - base;
      log(`throughput: up to ${APPROVALS} approvals or ${SEND_SECONDS} s, ${CONCURRENCY} requests in flight`);
      const metricsBefore = await Promise.all([scrapeApproval(), scrapeMetrics(supervisionPort)]);
      const statementsCounted = (await enableStatementCounts(approvalDb)) && (await enableStatementCounts(supervisionDb));
      const countersBefore: DbCounters[] = await Promise.all([
        dbCounters(approvalDb, approvalDbName),
        dbCounters(supervisionDb, supervisionDbName),
      ]);
      const tablesBefore = await Promise.all([tableCounters(approvalDb), tableCounters(supervisionDb)]);
      const stopCpu = phaseCpu();
      const startWall = Date.now();
      const start = now();
      const deadline = start + SEND_SECONDS * 1000;
      let last = { done: 0, at: start };
      let recent = 0;
      const stop = progress('throughput', () => {
        const done = claimed - claimedBase;
        if (countedAt > last.at) {
          recent = (done - last.done) / ((countedAt - last.at) / 1000);
          last = { done, at: countedAt };
        }
        const avg = countedAt > start ? done / ((countedAt - start) / 1000) : 0;
        return `sent ${sent()} tasks ${tasks - tasksBase} done ${done} as last counted (${fmt(avg)}/s avg, ${fmt(recent)}/s lately)`;
      });
      let sendSeconds: number;
      countEveryMs = 5000;
      activity = { approval: [], supervision: [], approvalOpen: [], vacuum: new Map() };
      const sampled = activity;
      let whileSending: { tasks: number; done: number };
      let lagWhileSending: Map<string, number>[];
      // Whose main thread the loop waits for while it is sent (ADR 0121).
      const runnable = new RunnableSampler(
        Object.fromEntries([...approvalInstances.map(({ name, pid }) => [name, pid]), ['supervision', supervisionPid]]),
        results.cores,
      );
      let runnableLine: string | undefined;
      runnable.start();
      try {
        await sendClosedLoop(pools, 'BT', deadline, APPROVALS);
        sendSeconds = (now() - start) / 1000;
        runnableLine = runnable.stop();
        activity = undefined;
        lagWhileSending = await Promise.all([scrapeApproval(), scrapeMetrics(supervisionPort)]);
        whileSending = {
          tasks: (await count(supervisionDb, `SELECT count(*) AS n FROM supervision_task`)) - tasksBase,
          done: (await claimedCount()) - claimedBase,
        };
        log(
          `throughput: ${sent()} approvals accepted in ${sendSeconds.toFixed(1)} s (${fmt(sent() / sendSeconds)}/s over HTTP); waiting for the loops`,
        );
      } finally {
        countEveryMs = 500;
        stop();
        runnableLine ??= runnable.stop();
      }
      await drain('throughput', () => claimedBase + sent());
      const throughputCpu = stopCpu();
      const metricsAfter = await Promise.all([scrapeApproval(), scrapeMetrics(supervisionPort)]);
      await sleep(1500); // PostgreSQL flushes a backend's counters at most once a second
      const countersAfter = await Promise.all([dbCounters(approvalDb, approvalDbName), dbCounters(supervisionDb, supervisionDbName)]);
      const tablesAfter = await Promise.all([tableCounters(approvalDb), tableCounters(supervisionDb)]);
      const { rows } = await approvalDb.query(
        `SELECT max(l.received_at) AS last FROM loop_event l JOIN approval a ON a.correlation_id::text = l.correlation_id
          WHERE l.type = $1 AND a.application_number LIKE 'BT-%'`,
        [TaskClaimedV1.type],
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
      results.diagnostics.push(describeVacuum(sampled.vacuum, sampled.approval.length, serviceDatabases));

      const { buckets, busy, stolen } = throughputCpu;
      results.cpu = `${describeCores(buckets)} | ${describeBusy(busy, stolen, results.cores)}`;
      results.cpuOther = buckets.get('other') ?? 0;
      const msPerLoop = (bucket: string) => ((buckets.get(bucket) ?? 0) * seconds * 1000) / loops;
      const perLoop = LOOP_BUCKETS.reduce((total, bucket) => total + msPerLoop(bucket), 0);
      results.loopCpu = { msPerLoop: Object.fromEntries(LOOP_BUCKETS.map((bucket) => [bucket, msPerLoop(bucket)])), busy };
      results.diagnostics.push(
        `cpu per loop (ms, services + their postgres + kafka): ${perLoop.toFixed(1)} = ` +
          LOOP_BUCKETS.map((bucket) => `${bucket} ${msPerLoop(bucket).toFixed(1)}`).join(', ') +
          ` -> CPU ceiling on ${results.cores} cores ≈ ${fmt((results.cores * 1000) / perLoop)} loops/s; ${GOALS.loopsPerSecond}/s would need ≈ ${((GOALS.loopsPerSecond * perLoop) / 1000).toFixed(1)} cores`,
      );
      results.diagnostics.push(
        `event-loop delay mean/p99/max (ms) while sending: approval ${describeLag(lagWhileSending[0])}, supervision ${describeLag(lagWhileSending[1])}; ` +
          `while draining: approval ${describeLag(metricsAfter[0])}, supervision ${describeLag(metricsAfter[1])}`,
      );
      results.diagnostics.push(runnableLine);
      results.budget = [
        ...describeBudget(
          ['approval', 'supervision'].map((service, i) =>
            loopBudget(
              service,
              countersBefore[i],
              countersAfter[i],
              kafkaHandlings(metricsBefore[i], metricsAfter[i]),
              { service: msPerLoop(service), db: msPerLoop(`pg:${service}`) },
              loops,
            ),
          ),
        ),
        `  (kafka broker ${msPerLoop('kafka').toFixed(2)} CPU ms per loop; shared postgres processes ${msPerLoop('pg:shared').toFixed(2)}` +
          `${statementsCounted ? '' : '; SQL statements need pg_stat_statements in shared_preload_libraries'}; the bench's own polling is included)`,
        ...['approval', 'supervision'].map((service, i) => describeTableWrites(service, tablesBefore[i], tablesAfter[i], loops)),
      ];
      results.diagnostics.push(`approval    : ${describeMetrics(metricsBefore[0], metricsAfter[0], seconds)}`);
      results.diagnostics.push(`supervision : ${describeMetrics(metricsBefore[1], metricsAfter[1], seconds)}`);
      await destroyPools(pools);
    }

    // 4. Latency: open loop at P2's rate once P1 is met, else at half the sustained rate (or BENCH_LATENCY_RATE).
    {
      const { rate, basis } = latencyRate(results.throughput.rate, GOALS.loopsPerSecond, LATENCY_RATE);
      const planned = Math.max(1, Math.round(rate * LATENCY_SECONDS));
      const pools = approvalPools(1024);
      await sleep(2000); // let the throughput phase's aftermath (autovacuum, GC) settle
      const base = approvals.accepted;
      const claimedBase = await claimedCount();
      [claimed, countedAt] = [claimedBase, now()];
      log(`latency: ${planned} approvals at ${fmt(rate)}/s (open loop) for ${LATENCY_SECONDS} s`);
      const stopCpu = phaseCpu();
      const storage = (await StorageProbe.starterBesideDataOf(approvalDb))();
      let storageLine = '';
      const walBefore = await walSample(approvalDb);
      let loop: OpenLoop;
      countEveryMs = 5000;
      try {
        // Behind its rate the phase stops sending, keeps what was sent, and lets P2's verdict say so (the
        // phases after this one still run).
        loop = await approvals.openLoop(pools, 'BL', rate, planned, {
          label: 'latency',
          maxInFlight: MAX_IN_FLIGHT,
          status: (issued) => `sent ${issued} accepted ${approvals.accepted - base} done ${claimed - claimedBase} as last counted`,
        });
      } finally {
        countEveryMs = 500;
        storageLine = storage.stop();
      }
      const { ms: httpMs, fellBehind, sent: total, seconds: phaseSeconds } = loop;
      const achievedRate = total / phaseSeconds;
      const walAfter = await walSample(approvalDb);
      const latencyCpu = stopCpu();
      // Below the throughput phase's rate a loop costs more CPU than there: fewer loops share each
      // group write, inbox transaction and Kafka request (and the bench's open loop ticks every 2 ms).
      const cores = LOOP_BUCKETS.reduce((sum, bucket) => sum + (latencyCpu.buckets.get(bucket) ?? 0), 0);
      const perLoop = (cores * phaseSeconds * 1000) / total;
      results.latencyNoise =
        `${describeCores(latencyCpu.buckets)} cores | ` +
        `${describeBusy(latencyCpu.busy, latencyCpu.stolen)}; services + their postgres + kafka ${perLoop.toFixed(1)} ms per loop`;
      await drain('latency', () => claimedBase + (approvals.accepted - base));
      // The phase's loops are read back from both databases after the REST phase: the two reads scan the
      // approval table and the trail, and the REST phase's first second must not meet them (ADR 0128).
      latencyReport = async () => {
        const startedAt = now();
        const { rows } = await approvalDb.query(
          `
          SELECT count(*) AS n,
                 percentile_disc(0.50) WITHIN GROUP (ORDER BY ms) AS p50,
                 percentile_disc(0.95) WITHIN GROUP (ORDER BY ms) AS p95,
                 percentile_disc(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
                 max(ms) AS max
            FROM (SELECT EXTRACT(EPOCH FROM (l.received_at - a.created_at)) * 1000 AS ms
                    FROM approval a JOIN loop_event l ON l.correlation_id = a.correlation_id::text AND l.type = $1
                   WHERE a.application_number LIKE 'BL-%') AS loop`,
          [TaskClaimedV1.type],
        );
        results.diagnostics.push(`latency hops p50/p99 (ms): ${await hopBreakdown(approvalDb, supervisionDb)}`);
        results.diagnostics.push(`latency phase ${storageLine}`);
        results.diagnostics.push(`latency phase ${describeWal(walBefore, walAfter, phaseSeconds, total)}`);
        results.diagnostics.push(`latency phase read back from both databases in ${fmt(now() - startedAt)} ms, after the REST phase`);
        const sortedHttp = [...httpMs].sort((a, b) => a - b);
        results.latency = {
          rate,
          basis,
          fellBehind,
          achievedRate,
          sent: Number(rows[0].n),
          p50: Number(rows[0].p50),
          p95: Number(rows[0].p95),
          p99: Number(rows[0].p99),
          max: Number(rows[0].max),
          httpP50: percentile(sortedHttp, 0.5),
          httpP99: percentile(sortedHttp, 0.99),
        };
      };
      await destroyPools(pools);
    }

    // 4b. P2's REST half where it is stated: POST /approvals at 500 a second (open loop, each POST's time from
    // when it was due), every POST driving its loop as always; the phase above sends twice that.
    {
      const rate = GOALS.postRate;
      const planned = Math.max(1, Math.round(rate * POST_SECONDS));
      const pools = approvalPools(1024);
      await sleep(2000);
      const base = approvals.accepted;
      const claimedBase = await claimedCount();
      log(`REST at P2's rate: ${planned} POSTs at ${fmt(rate)}/s (open loop) for ${POST_SECONDS} s, the loop running`);
      const storage = (await StorageProbe.starterBesideDataOf(approvalDb))();
      let storageLine = '';
      const timesBefore = await approvalTimes();
      const walBefore = await walSample(approvalDb);
      let loop: OpenLoop;
      let pressure: PressureBySecond | undefined;
      let restCpu: ReturnType<CpuTracker['result']>;
      counting = false;
      const restActivity = (activity = { approval: [], supervision: [], approvalOpen: [], vacuum: new Map() });
      const stopCpu = phaseCpu();
      const pressureProbe = PressureProbe.start();
      try {
        loop = await approvals.openLoop(pools, 'BP', rate, planned, {
          label: 'REST at P2 rate',
          maxInFlight: MAX_IN_FLIGHT,
          status: (issued) => `sent ${issued} accepted ${approvals.accepted - base}`,
        });
      } finally {
        counting = true;
        activity = undefined;
        restCpu = stopCpu();
        storageLine = storage.stop();
        pressure = pressureProbe?.stop();
      }
      // What the machine was doing meanwhile: the loop's processes at P2's rate, and whether the cores were free.
      results.diagnostics.push(
        `REST phase cpu (cores): ${describeCores(restCpu.buckets)} | ${describeBusy(restCpu.busy, restCpu.stolen, results.cores)}`,
      );
      const { ms: httpMs, fellBehind, sent } = loop;
      const achievedRate = sent / loop.seconds;
      const walAfter = await walSample(approvalDb);
      const timesAfter = await approvalTimes();
      const answered = bucketShares(timesBefore.answer, timesAfter.answer);
      // Where approval's own time went (ADR 0126): a group's wait, its write, and what was left for the
      // event loop (a request waits for it before its time starts and between the steps after).
      const within = [0.0025, 0.01, 0.025, 0.05];
      results.diagnostics.push(
        `REST phase inside approval: application waited for its group ${describeAnswerShares(bucketShares(timesBefore.wait, timesAfter.wait), within)}; ` +
          `group writes ${describeAnswerShares(bucketShares(timesBefore.write, timesAfter.write), within)}; ` +
          `event-loop delay mean/p99/max ${describeLag(timesAfter.metrics)} ms; ` +
          `garbage collections ${describeGc(timesBefore.metrics, timesAfter.metrics)}`,
      );
      results.diagnostics.push(`REST phase POSTs: ${describeSlow(loop, GOALS.postP99Ms)}`);
      const tail = tailOf(loop, GOALS.postP99Ms, pressure);
      // Whether the seconds of the slow POSTs were seconds the machine made everything wait (ADR 0127).
      if (pressure) results.diagnostics.push(`REST phase ${describePressure(pressure, [...slowBySecond(loop, GOALS.postP99Ms).keys()])}`);
      results.diagnostics.push(describeVacuum(restActivity.vacuum, restActivity.approval.length, serviceDatabases, 'in the REST phase'));
      // A POST's tail can be its commit's WAL flush waiting behind the kernel's writeback (ADR 0098): the disk's line.
      results.diagnostics.push(`REST phase ${storageLine}`);
      results.diagnostics.push(`REST phase ${describeWal(walBefore, walAfter, loop.seconds, sent)}`);
      await drain('REST at P2 rate', () => claimedBase + (approvals.accepted - base));
      const sorted = [...httpMs].sort((a, b) => a - b);
      results.post = {
        rate,
        achievedRate,
        sent,
        fellBehind,
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        p99: percentile(sorted, 0.99),
        max: sorted[sorted.length - 1] ?? 0,
        answered,
        direct: directPosts(timesBefore.metrics, timesAfter.metrics),
        tail,
      };
      await destroyPools(pools);
    }

    await latencyReport?.();

    // 5. Peak memory, before anything stops, and what holds memory now.
    const approvalPeaks = approvalInstances.map(({ pid }) => vmHwmKib(pid));
    results.memory = {
      approval: Math.max(...approvalPeaks),
      supervision: vmHwmKib(supervisionPid),
      bench: process.resourceUsage().maxRSS, // KiB
    };
    if (approvalInstances.length > 1)
      results.diagnostics.push(
        `peak memory (VmHWM) of each approval process: ${approvalPeaks.map((kib) => `${fmt(kib / 1024)} MiB`).join(', ')}`,
      );
    for (const { name: service, port } of peaked) {
      results.diagnostics.push(
        `memory ${service.padEnd(11)}: now ${await describeMemory(port).catch((error: unknown) => `unknown (${(error as Error).message})`)}`,
      );
    }
    for (const { name, peak } of peaked) {
      peak.stop();
      results.diagnostics.push(`memory ${name.padEnd(11)}: at the largest sampled rss ${peak.describe()}`);
    }
    if (HEAP_SNAPSHOT_DIR)
      results.diagnostics.push(
        await heapSnapshots(HEAP_SNAPSHOT_DIR, { approval: system.service('approval'), supervision: system.service('supervision') }),
      );

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
    // The approver's record of a task event is its trail row (ADR 0031): one per event id by its key, and
    // one event of each kind per approval unless supervision published twice.
    expect(
      `task-claimed events at the approver`,
      await count(approvalDb, `SELECT count(*) AS n FROM loop_event WHERE type = $1`, [TaskClaimedV1.type]),
      total,
    );
    expect(
      'approvals without exactly one task-claimed trail row',
      await count(
        approvalDb,
        `
        SELECT count(*) AS n FROM approval a
          LEFT JOIN (SELECT data ->> 'approvalId' AS approval_id, count(*) AS c FROM loop_event WHERE type = $1 GROUP BY 1) f
            ON f.approval_id = a.id::text
         WHERE coalesce(f.c, 0) <> 1`,
        [TaskClaimedV1.type],
      ),
      0,
    );
    expect(
      'approvals without exactly one task-assigned trail row',
      await count(
        approvalDb,
        `
        SELECT count(*) AS n FROM approval a
          LEFT JOIN (SELECT data ->> 'approvalId' AS approval_id, count(*) AS c FROM loop_event WHERE type = $1 GROUP BY 1) f
            ON f.approval_id = a.id::text
         WHERE coalesce(f.c, 0) <> 1`,
        [TaskAssignedV1.type],
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
      lines: [
        `${total} approvals accepted over HTTP (warm-up, throughput, latency and REST phases), ${approvals.retries} retried posts`,
        ...lines,
      ],
    };

    // 7. Backlog: decided events pile up while supervision is stopped, then it starts and drains them.
    // The counts stop (each reads the whole task or trail table: CPU of the drain's PostgreSQL and machine);
    // autovacuum is still sampled, since its workers' CPU counts with the database's (ADR 0095).
    counting = false;
    const drainActivity = (activity = { approval: [], supervision: [], approvalOpen: [], vacuum: new Map() });
    try {
      results.backlog = await backlogDrain(system, supervisionDb);
    } finally {
      activity = undefined;
    }
    results.diagnostics.push(
      describeVacuum(drainActivity.vacuum, drainActivity.approval.length, [['supervision', supervisionDbName]], 'in the backlog drain'),
    );
    results.load += `; ${loadNow()} at the end`;
  } finally {
    for (const { peak } of peaked) peak.stop();
    polling = false;
    await poller;
  }
}

/**
 * P4: approval is stopped (so that the feedback is not part of the figure), supervision is stopped,
 * BACKLOG valid decided events are produced as approval would, supervision starts; the rate is the
 * events applied between its first and last inbox commit (or until BACKLOG_SECONDS).
 */
async function backlogDrain(system: TestSystem, supervisionDb: Client): Promise<NonNullable<Results['backlog']>> {
  await system.service('approval').stop();
  await system.service('supervision').stop();
  const database = system.databases.get('supervision') ?? '?';
  const supervision = system.service('supervision');
  // The drain's CPU, from the moment supervision is up (its boot is not the drain's) to the last event applied.
  const cpu = new CpuTracker(drainProcesses(database, () => supervision.pid));
  let sampler: NodeJS.Timeout | undefined;
  const backlog = await produceBacklog(system, BACKLOG);
  let drained: Awaited<ReturnType<typeof drainBacklog>>;
  try {
    drained = await drainBacklog(system, supervisionDb, backlog, BACKLOG_SECONDS, {
      onStarted: () => {
        cpu.sample();
        sampler = setInterval(() => cpu.sample(), 250);
      },
    });
  } finally {
    clearInterval(sampler);
  }
  cpu.sample();
  const { buckets, seconds } = cpu.result();
  const perEvent = (bucket: string) => ((buckets.get(bucket) ?? 0) * seconds * 1000) / Math.max(1, drained.drained);
  return {
    ...drained,
    // The supervision process that drained was started for it: its VmHWM is the drain's peak, not P5's (under P1 load).
    peakRssKib: vmHwmKib(supervision.pid),
    cpuPerEvent: { supervision: perEvent('supervision'), postgres: perEvent('postgres'), kafka: perEvent('kafka') },
  };
}

/**
 * Where a loop of the latency phase spends its time, from both databases joined on the correlation id:
 * approval stored → supervision's inbox transaction (the decided event relayed, fetched, applied) → the
 * claim recorded at the approver (task-claimed relayed, fetched, applied). The Kafka acknowledgements in
 * between are no longer in the databases: the relays delete what Kafka acknowledged (ADR 0013).
 */
async function hopBreakdown(approvalDb: Client, supervisionDb: Client): Promise<string> {
  const [approvalRows, supervisionRows] = await Promise.all([
    approvalDb.query(
      `SELECT a.correlation_id::text AS id, a.created_at, l.received_at
         FROM approval a JOIN loop_event l ON l.correlation_id = a.correlation_id::text AND l.type = $1
        WHERE a.application_number LIKE 'BL-%'`,
      [TaskClaimedV1.type],
    ),
    supervisionDb.query(`SELECT i.correlation_id AS id, i.processed_at FROM inbox i WHERE i.event_type = $1`, [ApprovalDecidedV2.type]),
  ]);
  const supervision = new Map(supervisionRows.rows.map((row) => [row.id as string, row]));
  const hops: number[][] = [[], []];
  for (const row of approvalRows.rows) {
    const other = supervision.get(row.id);
    if (!other) continue;
    const t = [row.created_at, other.processed_at, row.received_at].map((d: Date) => new Date(d).getTime());
    for (let i = 0; i < 2; i++) hops[i].push(t[i + 1] - t[i]);
  }
  const names = ['approval stored→supervision inbox txn', '→claim recorded at approver'];
  return hops
    .map((values, i) => {
      const sorted = values.sort((a, b) => a - b);
      return `${names[i]} ${fmt(percentile(sorted, 0.5))}/${fmt(percentile(sorted, 0.99))}`;
    })
    .join(', ');
}

let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    run.aborted = true;
    if (++interrupts > 1) process.exit(130);
    log(`${signal}: stopping (again to exit at once)`);
  });
}

const started = now();
main()
  .then((results) => {
    process.stdout.write(`\n${summary(results, GOALS)}\n`);
    log(`total ${((now() - started) / 1000).toFixed(0)} s`);
    process.exit(results.check?.ok ? 0 : 1);
  })
  .catch((error: unknown) => {
    process.stdout.write(`\n${summary(results, GOALS)}\n`);
    log(`FAILED: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  });

/**
 * A heap snapshot of each service (started with `--heapsnapshot-signal` because BENCH_HEAP_SNAPSHOT is
 * set), after the memory figures: writing one stops the service for seconds and raises its RSS.
 */
async function heapSnapshots(dir: string, services: Record<string, { pid?: number; port: number }>): Promise<string> {
  const written: string[] = [];
  for (const [name, { pid, port }] of Object.entries(services)) {
    if (!pid) continue;
    const before = new Set(readdirSync(dir));
    process.kill(pid, 'SIGUSR2');
    // The snapshot is written on the service's main thread: it answers again once the file is complete.
    await sleep(500);
    await waitUntil(`${name}'s heap snapshot`, async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).ok, 120_000, 500);
    written.push(
      ...readdirSync(dir)
        .filter((file) => !before.has(file))
        .map((file) => `${name} ${join(dir, file)}`),
    );
  }
  return `heap snapshots: ${written.join(', ') || 'none written'} (node dist/bench/lib/heap-snapshot.js <file> [--retainers Name])`;
}
