/**
 * Ingest benchmark: `POST /approvals` at fixed rates (open loop), P2's REST goal (p99 ≤ 50 ms at 500
 * requests a second) measured apart from the loop's throughput phase, so that a change to approval's
 * HTTP edge or group write can be judged in a minute (ADR 0029).
 *
 *   npm run bench:ingest     (builds, then runs dist/bench/ingest.bench.js)
 *
 * Per rate it prints the POST latency from when each request was due (p50/p95/p99/max: no coordinated
 * omission), approval's CPU per POST (its process and its PostgreSQL backends, from /proc), approval's
 * event-loop delay over the phase (its `nodejs_eventloop_lag_*` metrics, which are reset at each scrape),
 * and how busy the machine was with other work; then approval's own time to answer (its request-duration
 * histogram: the share within 10, 25 and 50 ms) and how late the bench itself sent the requests, so that
 * a tail can be told to be approval's or the machine's (ADR 0113). Below that it prints what the disk did
 * meanwhile (bench/lib/storage.ts: its flushes' latency and the dirty page cache): every POST waits for its
 * commit's WAL flush, and a writeback burst of the kernel stalls them all at once (ADR 0098).
 * With two rates or more the last line is the CPU of a further POST between the lowest and the highest: a
 * POST's CPU falls as the rate rises, so the CPU per POST at one rate is not what a POST costs at another.
 * With BENCH_INGEST_LOOP=1 supervision runs too and auto-claims every task, so approval also applies
 * the task events while it answers the POSTs (the loop bench's latency phase, without its other phases).
 *
 * Knobs (environment): BENCH_INGEST_RATES ('240,500'), BENCH_INGEST_SECONDS (15), BENCH_WARMUP (30000; ADR 0113),
 * BENCH_INGEST_LOOP (unset: approval alone), BENCH_SEED ('ingest-bench'). Service settings pass through
 * the environment (e.g. INGEST_LINGER_MS, INGEST_CONNECTIONS), as do BENCH_CPU_PROF and BENCH_NODE_ARGS.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import seedrandom from 'seedrandom';
import { TestSystem } from '@backbone/testing';
import { Approvals, type OpenLoop } from './lib/driver';
import { describeBusy, MachineSpeedProbe } from './lib/machine-speed';
import { bucketShares, describeAnswerShares, describeLag, metricsOf, metricsText, postAnswerTimes } from './lib/metrics';
import { CpuTracker } from './lib/proc';
import { furtherPostCost } from './lib/report';
import { StorageProbe } from './lib/storage';
import { fmt, knob, log, percentile, progress, run, sleep } from './lib/util';

/**
 * A process's CPU split (user, system, in clock ticks) and its context switches: involuntary switches per
 * request say how often it lost the CPU while runnable (preempted), which a CPU profile counts as time in
 * whatever it was running then (the socket write that woke the client, say).
 */
function schedStat(pid: number | undefined): { user: number; system: number; voluntary: number; involuntary: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return {
    user: Number(fields[11]),
    system: Number(fields[12]),
    voluntary: field('voluntary_ctxt_switches'),
    involuntary: field('nonvoluntary_ctxt_switches'),
  };
}

const RATES = (process.env.BENCH_INGEST_RATES ?? '240,500')
  .split(',')
  .map(Number)
  .filter((rate) => rate > 0);
const SECONDS = knob('BENCH_INGEST_SECONDS', 15);
// Enough POSTs for V8 to have compiled approval's path (ADR 0113: after 2,000 a POST at 100/s cost 4.3 ms,
// after 30,000 3.2; at 500/s 1.34 against 1.23, p99 38 against 17 ms); about half a minute here.
const WARMUP = Math.floor(knob('BENCH_WARMUP', 30000));
const LOOP = Boolean(process.env.BENCH_INGEST_LOOP);
const SEED = process.env.BENCH_SEED ?? 'ingest-bench';

const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<string[]> {
  const lines: string[] = [`load average ${loadNow()} at start; ${LOOP ? 'approval + supervision (the loop)' : 'approval alone'}`];
  // How fast the machine is today (ADR 0110): its speed moves the CPU per POST.
  const speed = new MachineSpeedProbe();
  const names = LOOP ? (['approval', 'supervision'] as const) : (['approval'] as const);
  // Each service in a session of its own, as npm start runs them (ADR 0130).
  const extraEnv = LOOP ? { supervision: { AUTO_CLAIM_DEPARTMENTS: '320700-SAMR' } } : {};
  const system = await TestSystem.start(names, extraEnv, { ownSessions: true });
  try {
    const approval = system.service('approval');
    const approvals = new Approvals(approval.port, seedrandom(`${SEED}:entities`));
    const approvalDbName = system.databases.get('approval') ?? '?';
    const classify = (pid: number, cmdline: string): string => {
      if (pid === approval.pid) return 'approval';
      if (pid === process.pid) return 'bench';
      if (cmdline.startsWith('postgres') && cmdline.includes(approvalDbName)) return 'pg:approval';
      return 'other';
    };
    const startStorageProbe = await StorageProbe.starterBesideDataOf(await system.sql('approval'));

    {
      const pool = approvals.pool(16);
      log(`warm-up: ${WARMUP} approvals`);
      let next = 0;
      const stop = progress('warm-up', () => `sent ${approvals.accepted}`);
      try {
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (next < WARMUP && !run.aborted) await approvals.submit(pool, 'IW', next++);
          }),
        );
      } finally {
        stop();
        await pool.destroy();
      }
      await sleep(2000);
    }

    const measured: Array<{ rate: number; approval: number; pg: number }> = [];
    for (const [phase, rate] of RATES.entries()) {
      const total = Math.max(1, Math.round(rate * SECONDS));
      const pool = approvals.pool(1024);
      log(`rate ${rate}/s: ${total} approvals (open loop)`);
      const answeredBefore = postAnswerTimes(await metricsText(approval.port)); // the scrape resets the event-loop delay histogram
      const cpu = new CpuTracker(classify);
      cpu.sample();
      const sampler = setInterval(() => cpu.sample(), 500);
      const schedBefore = schedStat(approval.pid);
      const storage = startStorageProbe();
      let storageLine = '';
      let loop: OpenLoop;
      try {
        // `late`: how late the bench itself sent each request (its own event loop shares the machine), counted in `ms` too.
        loop = await approvals.openLoop([pool], `I${phase}`, rate, total, { label: `rate ${rate}/s`, maxInFlight: 5000 });
      } finally {
        clearInterval(sampler);
        storageLine = storage.stop();
      }
      if (loop.fellBehind) throw new Error(`more than 5000 requests in flight: approval fell behind ${rate}/s`);
      const { ms, late, seconds } = loop;
      const schedAfter = schedStat(approval.pid);
      const afterText = await metricsText(approval.port);
      const metrics = metricsOf(afterText);
      const answered = describeAnswerShares(bucketShares(answeredBefore, postAnswerTimes(afterText)));
      cpu.sample();
      const ticks = schedAfter.user - schedBefore.user + (schedAfter.system - schedBefore.system);
      const switches = (kind: 'voluntary' | 'involuntary') => ((schedAfter[kind] - schedBefore[kind]) / total).toFixed(2);
      const { buckets, busy, stolen } = cpu.result();
      const perPost = (bucket: string) => (((buckets.get(bucket) ?? 0) * seconds * 1000) / total).toFixed(2);
      const lag = describeLag(metrics);
      const sorted = [...ms].sort((a, b) => a - b);
      const q = (p: number) => fmt(percentile(sorted, p));
      lines.push(
        `POST at ${rate}/s (sent at ${fmt(total / seconds)}/s): p50/p95/p99/max ${q(0.5)}/${q(0.95)}/${q(0.99)}/${q(1)} ms; ` +
          `CPU per POST approval ${perPost('approval')} + its pg ${perPost('pg:approval')} ms; event-loop delay mean/p99/max ${lag} ms; ` +
          `approval's CPU ${((100 * (schedAfter.system - schedBefore.system)) / Math.max(1, ticks)).toFixed(0)}% in the kernel, ` +
          `context switches per POST ${switches('voluntary')} voluntary, ${switches('involuntary')} involuntary; ` +
          `${describeBusy(busy, stolen)}, other processes ${(buckets.get('other') ?? 0).toFixed(2)} cores, load ${loadNow()}`,
      );
      const lateSorted = late.sort((a, b) => a - b);
      lines.push(
        `  approval's own time to answer (its histogram, from the request's arrival to its answer): ${answered}; ` +
          `the bench sent the requests p50/p99/max ${fmt(percentile(lateSorted, 0.5))}/${fmt(percentile(lateSorted, 0.99))}/${fmt(percentile(lateSorted, 1))} ms after they were due`,
      );
      lines.push(`  ${storageLine}`);
      for (const line of lines.slice(-3)) log(line);
      const cores = (bucket: string) => buckets.get(bucket) ?? 0;
      measured.push({ rate: total / seconds, approval: cores('approval'), pg: cores('pg:approval') });
      await pool.destroy();
      await sleep(2000);
    }
    if (measured.length > 1) lines.push(furtherPostCost(measured));
  } finally {
    await system.stop().catch((error: unknown) => log(`stop failed: ${(error as Error).message}`));
  }
  lines.splice(1, 0, `machine: ${speed.atEnd()}`);
  return lines;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (run.aborted = true));
main().then(
  (lines) => {
    process.stdout.write(`${lines.join('\n')}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
