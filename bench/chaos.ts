/**
 * Chaos run: loops driven over REST while the system is hurt, then the delivery guarantees checked.
 *
 *   npm run chaos            (builds, then runs dist/bench/chaos.js)
 *
 * On a stack of its own (deploy/local/stack.sh with STACK_DIR=<repo>/.stack/chaos and ports of its
 * own; never the stack other tests or `npm start` use, because it kills Kafka and restarts
 * PostgreSQL), it starts the four services as processes, posts at least CHAOS_LOOPS approvals, and goes
 * on posting until the last fault has recovered (supervision claims each task on assignment, so every
 * approval is a whole loop: approval → supervision → back to the approver), and meanwhile, one fault at a
 * time, spread over the run:
 *   - kill -9 of each service CHAOS_ROUNDS times, each started again at once (its REST time measured);
 *   - Kafka killed (SIGKILL) and PostgreSQL stopped in immediate mode (crash recovery at its start),
 *     each started again once the watched service's /health has named it as down;
 *   - a second replica of approval and of supervision joins (rebalance, relay leadership contested)
 *     and later leaves (SIGTERM: it leaves the group at once).
 * The agency's client retries a failed POST with the same application number (the approval service
 * answers it idempotently), on whichever approval instance is up.
 *
 * Then it asserts: 0 lost (every approval stored once, with its task, claimed at the approver), 0
 * duplicated (one task per approval, one task-assigned and one task-claimed event each at the approver), 0
 * dead letters in any service, no REST answer 500, no service process that died by itself (one that
 * is not killed by the run), and the backlog drained within CHAOS_DRAIN_BUDGET_S of the last recovery
 * (or of the last POST, when posting went on longer; 0: no time budget, it must drain however long it
 * takes, as in npm test's short run). Exits non-zero when any fails. Each restart's time to serve REST is printed against the 3 s goal; it fails the run only
 * when CHAOS_RESTART_BUDGET_MS is set (a boot's time is the machine's load as much as the code's:
 * test/e2e/outages.e2e-spec.ts proves REST does not wait for the consumer group). It also prints, from
 * the broker's own log, how the run's consumer members left their groups: by LeaveGroup (a stop, or a
 * successor removing a member a kill left behind, ADR 0077) or dropped at their session's end.
 *
 * Knobs: CHAOS_LOOPS (10000), CHAOS_RATE (posts a second, 150; 0: as fast as they are answered), CHAOS_ROUNDS (3),
 * CHAOS_CONCURRENCY (24), CHAOS_RESTART_BUDGET_MS (unset),
 * CHAOS_DRAIN_BUDGET_S (60), CHAOS_STACK_DIR (<repo>/.stack/chaos), CHAOS_PG_PORT (25432),
 * CHAOS_KAFKA_PORT (29092), CHAOS_KAFKA_CONTROLLER_PORT (29093), CHAOS_KAFKA_SASL_PORT (29094: its SASL_SSL
 * listener, unused by the run but opened by every stack, ADR 0102), CHAOS_KEEP_STACK (1: leave the stack
 * running at the end; by default, if this run started it, it is stopped and its data deleted).
 * The service processes log into the chaos stack's directory (<stack>/service-logs), deleted with the
 * stack at the end; a run that fails moves them to .stack/logs/chaos-<time> and prints where.
 * npm test runs a short version by default (scripts/test.sh: CHAOS_LOOPS 2000, CHAOS_ROUNDS 1,
 * CHAOS_DRAIN_BUDGET_S 0; CHAOS=0 skips it).
 */
import { execFile } from 'node:child_process';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { connectTestDatabase, REPO_ROOT, ServiceName, ServiceProcess, TEST_CLIENTS, TestSystem, testUscc } from '@backbone/testing';
import { groupDepartures } from './lib/group-log';

function knob(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, got '${raw}'`);
  return value;
}

const LOOPS = Math.floor(knob('CHAOS_LOOPS', 10_000));
const ROUNDS = Math.floor(knob('CHAOS_ROUNDS', 3));
const CONCURRENCY = Math.floor(knob('CHAOS_CONCURRENCY', 24));
/**
 * Posts are paced (the n-th is due n / RATE s after the first), so that a run's faults are spread over its
 * posts on a fast machine too, and the backlog an outage leaves stays what the loop can drain: unpaced,
 * the POSTs taken while Kafka was down (24 s to recover) were most of a run.
 */
const RATE = knob('CHAOS_RATE', 150);
const RESTART_GOAL_MS = 3000;
const RESTART_BUDGET_MS = process.env.CHAOS_RESTART_BUDGET_MS ? knob('CHAOS_RESTART_BUDGET_MS', RESTART_GOAL_MS) : undefined;
/** 0: no time budget (npm test's short run on a machine of unknown speed): the backlog must drain, however long it takes. */
const DRAIN_BUDGET_S = knob('CHAOS_DRAIN_BUDGET_S', 60);
/** How long the run waits for the backlog at most (then it fails as not drained). */
const DRAIN_WAIT_S = DRAIN_BUDGET_S > 0 ? DRAIN_BUDGET_S * 5 : 900;
/** A Kafka or PostgreSQL outage lasts until the watched service's /health names it, at least 2 s and at most this long. */
const OUTAGE_MAX_S = 120;
/** How long a run watches for loops to close again after Kafka or PostgreSQL is back. */
const RESUME_WAIT_S = 60;
const STACK_ENV = {
  STACK_DIR: process.env.CHAOS_STACK_DIR || join(REPO_ROOT, '.stack', 'chaos'),
  PG_PORT: String(knob('CHAOS_PG_PORT', 25432)),
  KAFKA_PORT: String(knob('CHAOS_KAFKA_PORT', 29092)),
  KAFKA_CONTROLLER_PORT: String(knob('CHAOS_KAFKA_CONTROLLER_PORT', 29093)),
  KAFKA_SASL_PORT: String(knob('CHAOS_KAFKA_SASL_PORT', 29094)),
};
/**
 * The service processes' logs live with the run's own stack (deleted with it), not in the shared
 * .stack/logs/tests; a failed run keeps them in .stack/logs/chaos-<time> and says so.
 */
const SERVICE_LOGS = join(STACK_ENV.STACK_DIR, 'service-logs');

/** The chaos broker's own log (deploy/local/stack.sh writes it there), which says how members left their groups. */
const brokerLog = () => readFile(join(STACK_ENV.STACK_DIR, 'logs', 'kafka-server.log'), 'utf8');
// A loaded machine boots slowly: start() waits long; the restart budget is checked separately.
process.env.SERVICE_START_TIMEOUT_MS ||= '300000';
const SERVICES: ServiceName[] = ['approval', 'supervision', 'enforcement', 'credit'];
const SCALED: ServiceName[] = ['approval', 'supervision'];
const AUTO_CLAIM = '320700-SAMR';
/** The service whose /health is watched during the Kafka and PostgreSQL outages (never killed meanwhile). */
const WATCHED: ServiceName = 'enforcement';

const log = (line: string) => process.stderr.write(`[chaos] ${line}\n`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------- the stack

function stack(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [join(REPO_ROOT, 'deploy/local/stack.sh'), ...args],
      { env: { ...process.env, ...STACK_ENV }, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`stack.sh ${args.join(' ')} failed: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

async function stackRunning(): Promise<boolean> {
  return stack('status').then(
    () => true,
    () => false,
  );
}

// ---------------------------------------------------------------------------------------------- REST load

interface Ingest {
  posted: number;
  statuses: Map<string, number>;
  endedAt?: number;
}

/** The approval instances that take posts now (the primary and, while it runs, its replica). */
class ApprovalInstances {
  private readonly down = new Set<ServiceProcess>();
  private next = 0;
  constructor(private readonly all: ServiceProcess[]) {}
  add(instance: ServiceProcess): void {
    this.all.push(instance);
  }
  remove(instance: ServiceProcess): void {
    this.all.splice(this.all.indexOf(instance), 1);
  }
  markDown(instance: ServiceProcess, isDown: boolean): void {
    if (isDown) this.down.add(instance);
    else this.down.delete(instance);
  }
  pick(): ServiceProcess {
    const up = this.all.filter((instance) => !this.down.has(instance));
    const pool = up.length > 0 ? up : this.all;
    return pool[this.next++ % pool.length];
  }
}

async function postLoop(instances: ApprovalInstances, n: number, ingest: Ingest): Promise<void> {
  const body = JSON.stringify({
    applicationNumber: `CHAOS-${n}`,
    uscc: testUscc(500_000 + (n % Math.max(1, Math.floor(LOOPS / 4)))), // 4 approvals per entity: per-key order matters
    entityName: `连云港混沌测试${n}号有限公司`,
    itemCode: 'FOOD-BUSINESS-LICENCE',
    regionCode: '320703',
    kind: 'licence',
    outcome: 'granted',
    licenceNumber: `JY1320703${String(n).padStart(6, '0')}`,
  });
  const count = (key: string) => ingest.statuses.set(key, (ingest.statuses.get(key) ?? 0) + 1);
  for (let attempt = 1; ; attempt++) {
    const instance = instances.pick();
    let retryAfterMs = 200;
    try {
      const response = await fetch(`${instance.url}/approvals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': TEST_CLIENTS['320700-APPROVAL'] },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      count(String(response.status));
      if (response.status === 201 || response.status === 200) {
        ingest.posted++;
        return;
      }
      if (response.status < 500) throw new Error(`POST /approvals answered ${response.status} for loop ${n}`);
      const retryAfter = Number(response.headers.get('retry-after'));
      if (retryAfter > 0) retryAfterMs = Math.min(retryAfter * 1000, 2000);
    } catch (error) {
      if ((error as Error).message.startsWith('POST /approvals answered')) throw error;
      count('no answer');
    }
    if (attempt > 3000) throw new Error(`loop ${n}: no POST accepted after ${attempt} attempts`);
    await sleep(retryAfterMs);
  }
}

// ---------------------------------------------------------------------------------------------- faults

type Fault =
  | { kind: 'kill'; service: ServiceName }
  | { kind: 'kafka' }
  | { kind: 'postgres' }
  | { kind: 'replica-join'; service: ServiceName }
  | { kind: 'replica-leave'; service: ServiceName };

/**
 * The faults of one run: the first round has every kind (each service killed once, Kafka, PostgreSQL,
 * the replicas joining); further rounds kill each service again while the replicas run; then the
 * replicas leave.
 */
function schedule(rounds: number): Fault[] {
  const kill = (service: ServiceName): Fault => ({ kind: 'kill', service });
  const faults: Fault[] = [
    { kind: 'replica-join', service: 'approval' },
    kill('approval'),
    { kind: 'replica-join', service: 'supervision' },
    kill('supervision'),
    { kind: 'kafka' },
    kill('enforcement'),
    { kind: 'postgres' },
    kill('credit'),
  ];
  for (let round = 1; round < rounds; round++) faults.push(...SERVICES.map(kill));
  faults.push({ kind: 'replica-leave', service: 'approval' }, { kind: 'replica-leave', service: 'supervision' });
  return faults;
}

function describe(fault: Fault): string {
  switch (fault.kind) {
    case 'kill':
      return `kill -9 ${fault.service}`;
    case 'kafka':
      return 'kill -9 Kafka, start it again';
    case 'postgres':
      return 'restart PostgreSQL (immediate mode)';
    case 'replica-join':
      return `${fault.service} replica joins`;
    case 'replica-leave':
      return `${fault.service} replica leaves (SIGTERM)`;
  }
}

interface FaultRecord {
  fault: string;
  atMs: number;
  /** kill: spawn → REST (GET /health 200); kafka/postgres: fault → back; replica: start or stop. */
  recoveryMs: number;
  /** kill: the CPU the restarted process had used when it first served (its wall time less the waiting for a core). */
  cpuMs?: number;
  /** replica leaving: what each step of its stop took (its own log line, bootstrap.ts stopService); Kafka/PostgreSQL: when
   * the watched service named it, when it was started again and how long that took. */
  detail?: string;
}

/**
 * Starts a service process again and measures when it answers REST (GET /health 200), polling every
 * 50 ms, and the CPU it had used by then.
 */
async function restartAndTime(instance: ServiceProcess): Promise<{ ms: number; cpuMs: number }> {
  const spawnedAt = Date.now();
  const starting = instance.start();
  let served: { at: number; cpuMs: number } | undefined;
  while (served === undefined) {
    const ok = await fetch(`${instance.url}/health`, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) served = { at: Date.now(), cpuMs: instance.cpuTimeMs() };
    else await sleep(50);
  }
  await starting;
  return { ms: served.at - spawnedAt, cpuMs: served.cpuMs };
}

/** What one service's /health said while Kafka or PostgreSQL was down. */
interface HealthSeen {
  dependency: 'kafka' | 'database';
  polls: number;
  /** 503 answers with Retry-After naming the dependency that is down. */
  named: number;
  /** 503 answers without Retry-After, or naming nothing: each one a problem. */
  unclear: number;
  other: Map<string, number>;
}

/**
 * Polls a service's /health every 100 ms while `outage` runs and until the service is ready again:
 * while the dependency is down it must answer 503 with Retry-After and name it (`onNamed` is called
 * each time it does).
 */
async function watchHealth(
  url: string,
  dependency: HealthSeen['dependency'],
  outage: Promise<unknown>,
  onNamed: () => void,
): Promise<HealthSeen> {
  const seen: HealthSeen = { dependency, polls: 0, named: 0, unclear: 0, other: new Map() };
  let over = false;
  const end = () => (over = true);
  outage.then(end, end);
  for (;;) {
    const answer = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) }).then(
      async (response) => ({
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: (await response.json()) as { details?: { unavailable?: unknown } },
      }),
      () => undefined,
    );
    seen.polls++;
    if (answer?.status === 503) {
      const unavailable: unknown = answer.body?.details?.unavailable;
      const names = Array.isArray(unavailable) ? unavailable.map(String) : [];
      if (!answer.retryAfter || names.length === 0) seen.unclear++;
      else if (names.includes(dependency)) {
        seen.named++;
        onNamed();
      } else seen.other.set(names.join('+'), (seen.other.get(names.join('+')) ?? 0) + 1);
    } else {
      const key = answer ? String(answer.status) : 'no answer';
      seen.other.set(key, (seen.other.get(key) ?? 0) + 1);
      if (over && answer?.status === 200) return seen;
    }
    await sleep(100);
  }
}

/**
 * Milliseconds until `closed` (the loops closed so far) first rises above what it was when called, read
 * every 200 ms (a read that fails, the database still starting, is read again); undefined after
 * RESUME_WAIT_S. Loops were posted meanwhile, so a rise means the loop flows again.
 */
async function loopsResume(closed: () => Promise<number>): Promise<number | undefined> {
  const from = Date.now();
  const within = () => Date.now() - from < RESUME_WAIT_S * 1000;
  let before = NaN;
  while (!Number.isFinite(before) && within()) {
    before = await closed().catch(() => NaN);
    if (!Number.isFinite(before)) await sleep(200);
  }
  while (within()) {
    if ((await closed().catch(() => NaN)) > before) return Date.now() - from;
    await sleep(200);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------- checks

/** A service's database for the checks: a connection per query, retried while PostgreSQL restarts. */
interface CheckDb {
  system: TestSystem;
  name: ServiceName;
}

async function count(db: CheckDb, sql: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const client = await connectTestDatabase(db.system.infra, db.system.databases.get(db.name) ?? '');
      client.on('error', () => undefined); // PostgreSQL restarting under us: the query fails and is retried
      try {
        return Number((await client.query(sql)).rows[0].n);
      } finally {
        await client.end().catch(() => undefined);
      }
    } catch (error) {
      if (attempt >= 120) throw error;
      await sleep(500);
    }
  }
}

async function drained(dbs: Map<ServiceName, CheckDb>, loops: number): Promise<boolean> {
  const approval = dbs.get('approval')!;
  if ((await count(approval, `SELECT count(*) AS n FROM approval WHERE supervision_status = 'claimed'`)) < loops) return false;
  for (const db of dbs.values()) if ((await count(db, 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL')) > 0) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<number> {
  const runStartedAt = Date.now();
  log(
    `at least ${LOOPS} loops${RATE > 0 ? ` at ${RATE}/s` : ''}, ${ROUNDS} round(s) of kill -9 per service, concurrency ${CONCURRENCY}; stack ${STACK_ENV.STACK_DIR}`,
  );
  const stackWasRunning = await stackRunning();
  log(stackWasRunning ? 'the chaos stack is already running; it will be left running' : 'starting the chaos stack');
  await stack('up');
  process.env.TEST_KAFKA_BROKERS = `127.0.0.1:${STACK_ENV.KAFKA_PORT}`;
  process.env.TEST_DATABASE_URL = `postgresql://backbone:backbone@127.0.0.1:${STACK_ENV.PG_PORT}/postgres`;

  let system: TestSystem | undefined;
  const problems: string[] = [];
  let passed = false;
  rmSync(SERVICE_LOGS, { recursive: true, force: true }); // a previous run's, on a stack that was kept
  try {
    const quiet = { LOG_LEVEL: 'warn' };
    system = await TestSystem.start(
      SERVICES,
      {
        approval: quiet,
        supervision: { ...quiet, AUTO_CLAIM_DEPARTMENTS: AUTO_CLAIM },
        enforcement: quiet,
        credit: quiet,
      },
      { logDir: SERVICE_LOGS, ownSessions: true }, // as npm start runs them (ADR 0130)
    );
    const sys = system;
    // Whatever ends this process (a crash, Ctrl-C) takes the service processes with it: ServiceProcess kills
    // those in sessions of their own when their starter exits.
    // A process that dies by itself (not killed by this run) is a failure, whatever the figures say.
    const died: string[] = [];
    const watchExits = (instance: ServiceProcess, label: string) =>
      (instance.onUnexpectedExit = (why) => {
        died.push(`${label} ${why} by itself (see ${instance.logFile})`);
        log(`${label} ${why} by itself!`);
      });
    for (const [name, instance] of sys.services) watchExits(instance, name);
    const dbs = new Map<ServiceName, CheckDb>(SERVICES.map((name) => [name, { system: sys, name }]));
    log(`services up (namespace ${sys.namespace}); load average ${loadavg()[0].toFixed(1)}`);

    const instances = new ApprovalInstances([sys.service('approval')]);
    const replicas = new Map<ServiceName, ServiceProcess>();
    const ingest: Ingest = { posted: 0, statuses: new Map() };
    const startedAt = Date.now();

    // REST load.
    // At least LOOPS, and on until the last fault has recovered, at RATE: every fault meets REST traffic
    // (unpaced, a Kafka restart's recovery had let the rest of a run's posts through before the later
    // faults came).
    let next = 0;
    let faultsDone = false;
    let ingestError: Error | undefined;
    const posting = Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while ((next < LOOPS || !faultsDone) && !ingestError) {
          const n = next++;
          const early = RATE > 0 ? startedAt + (n * 1000) / RATE - Date.now() : 0;
          if (early > 0) await sleep(early);
          await postLoop(instances, n, ingest).catch((error: Error) => (ingestError = error));
        }
      }),
    ).then(() => (ingest.endedAt = Date.now()));
    // Progress every 5 s: what was posted, what closed (claimed at the approver), the backlog between.
    let reporting = true;
    const closedCount = () => count(dbs.get('approval')!, `SELECT count(*) AS n FROM approval WHERE supervision_status = 'claimed'`);
    const progress = (async () => {
      let before = { at: startedAt, closed: 0 };
      while (reporting) {
        await sleep(5000);
        const closed = await closedCount().catch(() => NaN);
        const now = Date.now();
        const rate = (closed - before.closed) / ((now - before.at) / 1000);
        log(
          `${seconds(now - startedAt)}: ${ingest.posted} posted (at least ${LOOPS}), ${closed} closed (${rate.toFixed(1)} loops/s), ` +
            `backlog ${ingest.posted - closed}; load ${loadavg()[0].toFixed(1)}`,
        );
        if (Number.isFinite(closed)) before = { at: now, closed };
      }
    })();

    // Faults, one at a time, spread over the posts.
    const faults = schedule(ROUNDS);
    const records: FaultRecord[] = [];
    const resumptions: Array<Promise<void>> = [];
    const healthSeen: HealthSeen[] = [];
    let lastRecoveryAt = startedAt;
    for (const [index, fault] of faults.entries()) {
      const threshold = Math.floor(((index + 1) / (faults.length + 1)) * LOOPS);
      while (ingest.posted < threshold && ingest.endedAt === undefined && !ingestError) await sleep(100);
      if (ingestError) break;
      const at = Date.now();
      let recoveryMs: number;
      let cpuMs: number | undefined;
      let detail: string | undefined;
      let resumed: Promise<number | undefined> | undefined;
      log(`fault ${index + 1}/${faults.length} at ${ingest.posted} posted: ${describe(fault)}`);
      switch (fault.kind) {
        case 'kill': {
          const victim = sys.service(fault.service);
          if (fault.service === 'approval') instances.markDown(victim, true);
          await victim.crash();
          ({ ms: recoveryMs, cpuMs } = await restartAndTime(victim));
          instances.markDown(victim, false);
          if (RESTART_BUDGET_MS !== undefined && recoveryMs > RESTART_BUDGET_MS)
            problems.push(`${fault.service} served REST ${recoveryMs} ms after a kill -9 (budget ${RESTART_BUDGET_MS} ms)`);
          break;
        }
        case 'kafka':
        case 'postgres': {
          let namedAt: number | undefined;
          let sawItNamed = () => undefined as void;
          const named = new Promise<void>((resolve) => (sawItNamed = resolve));
          let startedAgainAt = at;
          const outage = (async () => {
            await stack(fault.kind === 'kafka' ? 'kafka-kill' : 'pg-kill');
            // Down until the watched service has said so (at least 2 s, at most OUTAGE_MAX_S): on a slow
            // machine a quick restart could otherwise come and go between two polls.
            await Promise.race([Promise.all([named, sleep(2000)]), sleep(OUTAGE_MAX_S * 1000)]);
            startedAgainAt = Date.now();
            await stack('up');
          })();
          const watching = watchHealth(sys.service(WATCHED).url, fault.kind === 'kafka' ? 'kafka' : 'database', outage, () => {
            namedAt ??= Date.now();
            sawItNamed();
          });
          await outage;
          recoveryMs = Date.now() - at;
          // Where the time went: the outage the run keeps (until named, at least 2 s), then the start.
          detail =
            `named by ${WATCHED}'s /health ${namedAt === undefined ? 'never' : `after ${namedAt - at} ms`}; ` +
            `started again at ${startedAgainAt - at} ms, back ${Date.now() - startedAgainAt} ms later`;
          resumed = loopsResume(closedCount);
          healthSeen.push(await watching);
          break;
        }
        case 'replica-join': {
          const replica = await sys.startReplica(fault.service);
          watchExits(replica, `${fault.service} replica`);
          replicas.set(fault.service, replica);
          if (fault.service === 'approval') instances.add(replica);
          recoveryMs = Date.now() - at;
          break;
        }
        case 'replica-leave': {
          const replica = replicas.get(fault.service);
          if (!replica) throw new Error(`no ${fault.service} replica to stop`);
          if (fault.service === 'approval') instances.remove(replica);
          // A graceful stop leaves the group and finishes what it holds: it must not need the SIGKILL after the grace.
          if ((await replica.stop({ graceMs: 120_000 })) !== 'stopped')
            problems.push(`the ${fault.service} replica did not stop by itself after SIGTERM`);
          recoveryMs = Date.now() - at;
          const steps = stopSteps(replica.logFile);
          detail = steps === undefined ? undefined : `its stop: ${steps}`;
          break;
        }
      }
      lastRecoveryAt = Date.now();
      const record: FaultRecord = { fault: describe(fault), atMs: at - startedAt, recoveryMs, cpuMs, detail };
      records.push(record);
      // Once Kafka or PostgreSQL is back, how long until loops close again (the services reconnected,
      // rejoined their groups, and the relays published what waited): watched while the run goes on.
      if (resumed)
        resumptions.push(
          resumed.then((ms) => {
            record.detail += `; loops closing again ${ms === undefined ? `not within ${RESUME_WAIT_S} s` : `${ms} ms`} after`;
          }),
        );
      log(`  recovered in ${recoveryMs} ms${cpuMs === undefined ? '' : ` (${cpuMs} ms of CPU)`}`);
    }

    faultsDone = true;
    await posting;
    if (ingestError) throw ingestError;
    // Every index below `next` was posted once (a POST that failed ended the run above).
    const loops = next;
    const postingEndedAt = ingest.endedAt ?? Date.now();
    const drainFrom = Math.max(lastRecoveryAt, postingEndedAt);
    log(`all ${loops} posted in ${seconds(postingEndedAt - startedAt)}; waiting for the backlog`);
    const drainDeadline = drainFrom + DRAIN_WAIT_S * 1000;
    let drainedAt: number | undefined;
    while (drainedAt === undefined && Date.now() < drainDeadline) {
      if (await drained(dbs, loops)) drainedAt = Date.now();
      else await sleep(250);
    }
    reporting = false;
    await progress;
    await Promise.all(resumptions);
    const backlogAtEnd = loops - (await closedCount());

    // The guarantees.
    const approval = dbs.get('approval')!;
    const supervision = dbs.get('supervision')!;
    const figures: [string, number, number][] = [
      ['approvals stored', await count(approval, 'SELECT count(*) AS n FROM approval'), loops],
      ['approvals claimed at the approver', loops - backlogAtEnd, loops],
      ['supervision tasks', await count(supervision, 'SELECT count(*) AS n FROM supervision_task'), loops],
      ['approvals with a task', await count(supervision, 'SELECT count(DISTINCT approval_id) AS n FROM supervision_task'), loops],
      [
        // Distinct events, as the approver's trail kept them: a task event's trail row is its inbox record and
        // its feedback record there (ADR 0031); supervision's outbox deletes what Kafka acknowledged.
        'task-assigned events at the approver',
        await count(approval, `SELECT count(*) AS n FROM loop_event WHERE type = 'backbone.supervision.task-assigned.v1'`),
        loops,
      ],
      [
        'task-claimed events at the approver',
        await count(approval, `SELECT count(*) AS n FROM loop_event WHERE type = 'backbone.supervision.task-claimed.v1'`),
        loops,
      ],
      [
        // Two events of one kind for one approval: supervision assigned or claimed its task twice.
        'approvals with a task event published twice',
        await count(
          approval,
          `SELECT count(*) AS n FROM (SELECT data ->> 'approvalId', type FROM loop_event
             WHERE type IN ('backbone.supervision.task-assigned.v1', 'backbone.supervision.task-claimed.v1')
             GROUP BY 1, 2 HAVING count(*) <> 1) AS twice`,
        ),
        0,
      ],
    ];
    let deadLetters = 0;
    for (const [name, db] of dbs) {
      const n = await count(db, 'SELECT count(*) AS n FROM dead_letter');
      deadLetters += n;
      figures.push([`dead letters in ${name}`, n, 0]);
    }
    let unsent = 0;
    for (const db of dbs.values()) unsent += await count(db, 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL');
    figures.push(['outbox rows left unsent', unsent, 0]);

    const lost = loops - Math.min(figures[0][1], figures[1][1], figures[2][1], figures[3][1]);
    const duplicated = Math.max(0, figures[2][1] - loops) + Math.max(0, figures[4][1] - loops) + figures[7][1];
    for (const [what, actual, expected] of figures) if (actual !== expected) problems.push(`${what}: ${actual}, expected ${expected}`);
    problems.push(...died);
    const fiveHundreds = ingest.statuses.get('500') ?? 0;
    if (fiveHundreds > 0) problems.push(`${fiveHundreds} POSTs answered 500`);
    for (const seen of healthSeen) {
      if (seen.named === 0) problems.push(`${WATCHED} /health never answered 503 naming ${seen.dependency} while it was down`);
      if (seen.unclear > 0)
        problems.push(`${WATCHED} /health answered 503 without Retry-After or a named dependency ${seen.unclear} time(s)`);
    }
    const drainMs = drainedAt === undefined ? undefined : drainedAt - drainFrom;
    if (drainMs === undefined) problems.push(`backlog not drained ${DRAIN_WAIT_S} s after the last recovery`);
    else if (DRAIN_BUDGET_S > 0 && drainMs > DRAIN_BUDGET_S * 1000)
      problems.push(`backlog not drained within ${DRAIN_BUDGET_S} s of the last recovery (${seconds(drainMs)})`);

    // The report.
    const restarts = records.filter((record) => record.fault.startsWith('kill -9 ') && !record.fault.includes('Kafka'));
    const restartMs = restarts.map((record) => record.recoveryMs).sort((a, b) => a - b);
    const restartCpuMs = restarts.map((record) => record.cpuMs ?? 0).sort((a, b) => a - b);
    const out = (line = '') => process.stdout.write(`${line}\n`);
    out();
    out(
      `chaos: ${loops} loops over REST (at least ${LOOPS}, posted until the last fault had recovered), ${records.length} faults, 4 services (+ replicas of ${SCALED.join(' and ')})`,
    );
    out(
      `  posting took ${seconds(postingEndedAt - startedAt)}; REST answers: ${[...ingest.statuses].map(([status, n]) => `${status} ×${n}`).join(', ')}`,
    );
    out(
      '  faults (at = seconds into the run; recovery: kill → REST served after spawn, Kafka/PostgreSQL → back, replica → started/stopped):',
    );
    for (const record of records)
      out(
        `    ${seconds(record.atMs).padStart(8)}  ${record.fault.padEnd(42)} ${String(record.recoveryMs).padStart(6)} ms` +
          `${record.cpuMs === undefined ? '' : ` (${record.cpuMs} ms of CPU)`}` +
          `${record.detail === undefined ? '' : `\n${' '.repeat(14)}${record.detail}`}`,
      );
    if (restartMs.length > 0)
      out(
        `  REST after kill -9: min ${restartMs[0]} ms, median ${restartMs[Math.floor(restartMs.length / 2)]} ms, max ${restartMs[restartMs.length - 1]} ms; ${restartMs.filter((ms) => ms <= RESTART_GOAL_MS).length} of ${restartMs.length} within the ${RESTART_GOAL_MS} ms goal${RESTART_BUDGET_MS === undefined ? '' : ` (budget ${RESTART_BUDGET_MS} ms)`}; ` +
          `CPU used by then: ${restartCpuMs[0]}–${restartCpuMs[restartCpuMs.length - 1]} ms`,
      );
    for (const seen of healthSeen)
      out(
        `  ${WATCHED} /health while ${seen.dependency === 'kafka' ? 'Kafka' : 'PostgreSQL'} was down: ${seen.polls} polls, ` +
          `${seen.named} × 503 + Retry-After naming ${seen.dependency}${[...seen.other].map(([what, n]) => `, ${what} ×${n}`).join('')}` +
          `${seen.unclear > 0 ? `, ${seen.unclear} × 503 unclear` : ''}`,
      );
    const closingMs = (drainedAt ?? Date.now()) - startedAt;
    out(
      `  loops/s: ${(loops / ((postingEndedAt - startedAt) / 1000)).toFixed(1)} posted, ${((loops - backlogAtEnd) / (closingMs / 1000)).toFixed(1)} closed ` +
        `(${loops - backlogAtEnd} loops closed ${seconds(closingMs)} after the first POST)`,
    );
    out(
      `  backlog drained ${drainMs === undefined ? 'NOT within the wait' : seconds(drainMs)} after ${drainFrom === lastRecoveryAt ? 'the last recovery' : 'the last POST (posting outlasted the faults)'} (${DRAIN_BUDGET_S > 0 ? `budget ${DRAIN_BUDGET_S} s` : 'no time budget'})`,
    );
    const members = await brokerLog()
      .then((text) => groupDepartures(text, `${sys.namespace}.`))
      .catch(() => undefined);
    out(
      members
        ? `  consumer members that left a group: ${members.left} by LeaveGroup (a stop, or a successor removing a member a kill left behind: ADR 0077), ` +
            `${members.expired} dropped at their session's end${members.expired > 0 ? ` (${members.expiredMembers.join(', ')})` : ''}`
        : "  consumer members that left a group: the broker's log could not be read",
    );
    for (const [what, actual, expected] of figures)
      out(`  ${what.padEnd(40)} ${String(actual).padStart(7)}${actual === expected ? '' : `  (expected ${expected})`}`);
    out(`  service processes that exited by themselves: ${died.length}`);
    out(`  the whole run (stack and services started, posting, drain, checks) took ${seconds(Date.now() - runStartedAt)}`);
    out(`  lost ${lost}, duplicated ${duplicated}, dead letters ${deadLetters}; load average at the end ${loadavg()[0].toFixed(1)}`);
    out(problems.length === 0 ? 'chaos: PASSED' : `chaos: FAILED\n  - ${problems.join('\n  - ')}`);
    passed = problems.length === 0;
    return passed ? 0 : 1;
  } finally {
    await system?.stop().catch((error: Error) => log(`stopping the services failed: ${error.message}`));
    if (!passed) {
      const kept = join(REPO_ROOT, '.stack', 'logs', `chaos-${new Date(runStartedAt).toISOString().replace(/[:.]/g, '-')}`);
      try {
        renameSync(SERVICE_LOGS, kept);
        log(`the run failed: its service logs are kept in ${kept} (the chaos stack's log paths above moved there)`);
      } catch (error) {
        log(`the run failed; its service logs could not be kept: ${(error as Error).message}`);
      }
    }
    if (!stackWasRunning && process.env.CHAOS_KEEP_STACK !== '1') {
      // Its data goes too (the Kafka jars stay for the next run): a chaos run leaves nothing behind.
      log('stopping the chaos stack and deleting its data');
      await stack('reset', 'keep-downloads').catch((error: Error) => log(error.message));
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[chaos] failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);

/**
 * The steps of a graceful stop as the process logged them ("stop: consumer stopped … +N ms, app closed …");
 * at the chaos run's LOG_LEVEL warn, only a stop of a second or more is logged (bootstrap.ts SLOW_STOP_MS).
 */
function stopSteps(logFile: string): string | undefined {
  try {
    const lines = readFileSync(logFile, 'utf8').split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      const found = /"message":"[^"]* stopped(?: slowly)?; stop: ([^"]*)"/.exec(lines[i]);
      if (found) return found[1];
    }
  } catch {
    // no log file: nothing to add
  }
  return undefined;
}
