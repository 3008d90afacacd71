/**
 * Backlog benchmark: P4 of the loop bench on its own, with what a drain costs. Supervision alone (no
 * approval: the task events it causes wait in Kafka), stopped while BENCH_BACKLOG decided events are
 * produced, then started: prints the drain rate, supervision's CPU and its database's work per event
 * (statements, transactions, rows written; the most expensive statements from pg_stat_statements), and
 * how fast the machine was (ADR 0110: a reference workload before and after, the host's steal meanwhile).
 *
 *   npm run build && node dist/bench/backlog.bench.js
 *
 * Knobs (environment): BENCH_BACKLOG (20000), BENCH_BACKLOG_SECONDS (120), BENCH_DRAIN_REPLICAS (1: how many
 * supervision processes start together to drain it, sharing its partitions), BENCH_BACKLOG_ROUNDS (1: how many
 * backlogs are produced and drained one after the other on the same tables, which grow by a backlog each
 * round: whether a drain costs more on larger tables). BENCH_CPU_PROF=supervision
 * profiles it (ServiceProcess; the drain's process is the second profile written). Supervision's own
 * settings (CONSUMER_CHUNK_SIZE, …) pass through from the environment.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { Client } from 'pg';
import { ServiceProcess, TestSystem } from '@backbone/testing';
import { drainBacklog, drainProcesses, produceBacklog } from './lib/backlog';
import { dbCounters, enableStatementCounts } from './lib/budget';
import { describeBusy, MachineSpeedProbe, referenceWorkloadApart } from './lib/machine-speed';
import { CpuTracker, vmHwmKib } from './lib/proc';
import { knob, log, now, run, sleep } from './lib/util';

const BACKLOG = Math.floor(knob('BENCH_BACKLOG', 20_000));
const BACKLOG_SECONDS = knob('BENCH_BACKLOG_SECONDS', 120);
const REPLICAS = Math.max(1, Math.floor(knob('BENCH_DRAIN_REPLICAS', 1)));
const ROUNDS = Math.max(1, Math.floor(knob('BENCH_BACKLOG_ROUNDS', 1)));

async function main(): Promise<void> {
  log(
    `${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; backlog ${BACKLOG}`,
  );
  // How fast the machine is today, before and after (ADR 0110): its speed moves the CPU per event.
  const speed = new MachineSpeedProbe();
  const lines: string[] = [];
  const system = await TestSystem.start(
    ['supervision'],
    {
      supervision: {
        AUTO_CLAIM_DEPARTMENTS: '320700-SAMR',
        LOG_LEVEL: 'warn',
      },
    },
    { ownSessions: true }, // as npm start runs them (ADR 0130)
  );
  try {
    const db = await system.sql('supervision');
    const database = system.databases.get('supervision') ?? '?';
    const statementsCounted = await enableStatementCounts(db);
    // What a start costs (boot, migrations checked, group joined): taken off the drain's CPU below.
    const startCpuMs = system.service('supervision').cpuTimeMs();
    let replicas: ServiceProcess[] = [];
    for (let round = 1; round <= ROUNDS && !run.aborted; round++) {
      await system.service('supervision').stop();
      for (const replica of replicas) await replica.stop();
      replicas = await drainRound({ system, db, database, statementsCounted, startCpuMs }, round, lines);
    }
  } finally {
    await system.stop().catch((error: unknown) => log(`stop failed: ${(error as Error).message}`));
  }
  lines.unshift(`machine       : ${speed.atEnd()}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** What every round drains with: the system, supervision's database, and what its first start cost. */
interface DrainSetting {
  system: TestSystem;
  db: Client;
  database: string;
  statementsCounted: boolean;
  startCpuMs: number;
}

/**
 * One backlog produced while supervision is stopped, then drained: its figures added to `lines` (under a
 * round's heading when there are several). Returns the replicas that drained it, still running.
 */
async function drainRound(
  { system, db, database, statementsCounted, startCpuMs }: DrainSetting,
  round: number,
  lines: string[],
): Promise<ServiceProcess[]> {
  const tasksBefore = Number((await db.query(`SELECT count(*) AS n FROM supervision_task`)).rows[0].n);
  const backlog = await produceBacklog(system, BACKLOG);
  // The machine's speed just before this drain (ADR 0110): rounds are compared only where it held.
  const workload = ROUNDS > 1 ? referenceWorkloadApart() : undefined;
  if (statementsCounted) await db.query(`SELECT pg_stat_statements_reset()`).catch(() => undefined);
  const before = await dbCounters(db, database);
  const service = system.service('supervision');
  // CPU of supervision's database backends and of Kafka while it drains, sampled from /proc.
  const tracker = new CpuTracker(drainProcesses(database));
  tracker.sample();
  const sampled = now();
  const sampler = setInterval(() => tracker.sample(), 250);
  const result = await drainBacklog(system, db, backlog, BACKLOG_SECONDS, { replicas: REPLICAS });
  tracker.sample();
  const elapsedMs = now() - sampled;
  const { buckets, busy, stolen } = tracker.result();
  // Every draining process's CPU, less a start's for each (a replica's boot is taken to cost the first's).
  const processes = [service, ...result.replicas];
  const supervisionCpuMs = () => processes.reduce((total, one) => total + one.cpuTimeMs() - startCpuMs, 0);
  const cpuMs = supervisionCpuMs();
  // The drain's own events (a task assigned and claimed per decision) are published after it: the relay's
  // part of the work, counted until supervision's outbox holds nothing unsent.
  const unsent = async () => Number((await db.query(`SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`)).rows[0].n);
  let left = await unsent();
  const deadline = Date.now() + BACKLOG_SECONDS * 1000;
  while (left > 0 && Date.now() < deadline && !run.aborted) {
    await sleep(250);
    left = await unsent();
  }
  clearInterval(sampler);
  tracker.sample();
  const publishedMs = now() - sampled;
  const published = tracker.result().buckets;
  const cpuWithRelayMs = supervisionCpuMs();
  // Peak resident memory of the draining processes (its young generation's size shows here, ADR 0036).
  const peaks = processes.map((one) => `${(vmHwmKib(one.pid) / 1024).toFixed(0)} MiB`).join(', ');
  const after = await dbCounters(db, database);
  const per = (n: number) => (n / Math.max(1, result.drained)).toFixed(3);
  if (workload !== undefined)
    lines.push(
      `round ${round} of ${ROUNDS}: supervision_task held ${tasksBefore} rows before the drain; reference workload ${workload.toFixed(2)} µs just before it`,
    );
  lines.push(
    `backlog drain : ${Math.round(result.rate)} events/s (${result.drained} of ${result.events} in ${result.seconds.toFixed(1)} s${result.finished ? '' : ', stopped at the time limit'}; ${describeBusy(busy, stolen)})`,
    `supervision   : ${per(cpuMs)} CPU ms per event (${Math.round(cpuMs)} ms${processes.length > 1 ? ` in ${processes.length} processes` : ''}, ` +
      `less a first start's ${Math.round(startCpuMs)} ms${processes.length > 1 ? ' each' : ''})`,
    `its postgres  : ${per((buckets.get('postgres') ?? 0) * elapsedMs)} CPU ms per event; kafka ${per((buckets.get('kafka') ?? 0) * elapsedMs)}`,
    `peak RSS      : supervision ${peaks} (VmHWM)`,
    `until its events are published (${left === 0 ? 'outbox empty' : `${left} still unsent at the time limit`} after ${(publishedMs / 1000).toFixed(1)} s): ` +
      `supervision ${per(cpuWithRelayMs)}, its postgres ${per((published.get('postgres') ?? 0) * publishedMs)}, kafka ${per((published.get('kafka') ?? 0) * publishedMs)} CPU ms per event`,
    `its database  : ${per((after.statements ?? NaN) - (before.statements ?? NaN))} statements, ${per(after.transactions - before.transactions)} transactions, ` +
      `${per(after.inserted - before.inserted + after.updated - before.updated + after.deleted - before.deleted)} rows written per event ` +
      `(inserted ${per(after.inserted - before.inserted)}, updated ${per(after.updated - before.updated)}, deleted ${per(after.deleted - before.deleted)})`,
  );
  if (statementsCounted) {
    const { rows } = await db.query(
      `SELECT s.calls, round(s.total_exec_time::numeric, 0) AS ms, s.rows, left(regexp_replace(s.query, '\\s+', ' ', 'g'), 110) AS query
           FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 ORDER BY s.total_exec_time DESC LIMIT 12`,
      [database],
    );
    lines.push('top statements (calls, exec ms, rows, query):');
    for (const row of rows) lines.push(`  ${row.calls} | ${row.ms} | ${row.rows} | ${row.query}`);
  }
  return result.replicas;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (run.aborted = true));
main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
