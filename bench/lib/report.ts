import type { KafkaBaseline, PostgresBaseline } from './baselines';
import { BATCH, PAYLOAD_BYTES } from './baselines';
import type { Tail } from './driver';
import { describeAnswerShares } from './metrics';
import { fmt, mib } from './util';

/** Everything a loop bench measured; filled phase by phase, printed by summary() even after a failure. */
export interface Results {
  cores: number;
  load?: string;
  /** The machine's speed: the reference workload at the start and end, the host's steal (ADR 0110). */
  speed?: string;
  kafka?: KafkaBaseline;
  postgres?: PostgresBaseline;
  /**
   * The warm-up before the throughput phase: loops closed per window of `windowSeconds`, and its first
   * seconds (`cold`: services just started, V8 still compiling their hot code) with the CPU a loop took then.
   */
  warmup?: {
    seconds: number;
    loops: number;
    windowSeconds: number;
    windows: number[];
    cold?: { seconds: number; loops: number; msPerLoop: number };
  };
  throughput?: { loops: number; seconds: number; rate: number; ingestRate: number; retries: number };
  latency?: {
    rate: number;
    /** Why the phase ran at `rate`: P2's own rate (P1 met), half the sustained rate, or BENCH_LATENCY_RATE. */
    basis: LatencyBasis;
    /** Set when the phase stopped sending because too many requests were in flight: approvals it sent of those planned. */
    fellBehind?: { issued: number; planned: number };
    achievedRate: number;
    sent: number;
    p50: number;
    p95: number;
    p99: number;
    max: number;
    httpP50: number;
    httpP99: number;
  };
  /** P2's REST half: POST /approvals at the goal's rate, the loop running (each POST's time from when it was due). */
  post?: {
    rate: number;
    achievedRate: number;
    sent: number;
    fellBehind?: { issued: number; planned: number };
    p50: number;
    p95: number;
    p99: number;
    max: number;
    /** Approval's own histogram over the phase: [bound (s), share of POSTs answered within it of their arrival]. */
    answered?: Array<[number, number]>;
    /** How many of the phase's POSTs approval's direct path took (ADR 0128); the rest went through Express and Nest. */
    direct?: number;
    /** Where the POSTs over the goal came from: a few seconds' crowds, or every second (ADR 0132). */
    tail?: Tail;
  };
  memory?: { approval: number; supervision: number; bench: number };
  check?: { ok: boolean; lines: string[] };
  cpu?: string;
  cpuOther?: number;
  latencyNoise?: string;
  budget?: string[];
  /** The throughput phase's CPU: ms per loop of each of the loop's processes, how busy the machine was (0…1). */
  loopCpu?: { msPerLoop: Record<string, number>; busy: number };
  backlog?: {
    events: number;
    drained: number;
    seconds: number;
    rate: number;
    finished: boolean;
    peakRssKib?: number;
    /** CPU ms per event applied, from supervision's start to the end of the drain (its boot not counted). */
    cpuPerEvent?: { supervision: number; postgres: number; kafka: number };
  };
  diagnostics: string[];
}

export type LatencyBasis = 'goal' | 'half' | 'set';

/**
 * The latency phase's rate: P2's (`goalRate`, 1,000 loops/s) once the throughput phase sustained it, else half
 * the sustained rate (an open loop at a rate the system does not sustain measures only its queue), unless
 * BENCH_LATENCY_RATE sets it.
 */
export function latencyRate(sustained: number, goalRate: number, set?: number): { rate: number; basis: LatencyBasis } {
  if (set !== undefined) return { rate: set, basis: 'set' };
  if (sustained >= goalRate) return { rate: goalRate, basis: 'goal' };
  return { rate: Math.max(1, sustained / 2), basis: 'half' };
}

export interface Goals {
  concurrency: number;
  /** Kafka events one loop moves (decided, assigned, claimed). */
  eventsPerLoop: number;
  loopsPerSecond: number;
  p99Ms: number;
  ratio: number;
  backlogRate: number;
  /** P4's backlog: a drain of fewer events (a short run's BENCH_BACKLOG) is reported, not judged. */
  backlogEvents: number;
  rssMiB: number;
  /** P2's REST half: POST /approvals p99 at most postP99Ms at postRate requests/s. */
  postRate: number;
  postP99Ms: number;
}

/** Issue #12's goals (P1–P5), as the loop bench judges them; the concurrency is the run's own. */
export const ISSUE_GOALS: Omit<Goals, 'concurrency'> = {
  eventsPerLoop: 3,
  loopsPerSecond: 1000,
  p99Ms: 500,
  ratio: 0.2,
  backlogRate: 5000,
  backlogEvents: 100_000,
  rssMiB: 250,
  postRate: 500,
  postP99Ms: 50,
};

export function summary(r: Results, goals: Goals): string {
  const out: string[] = [];
  out.push(`== loop benchmark (${r.cores} cores${r.load ? `; load average ${r.load}` : ''}) ==`);
  if (r.speed) out.push(`machine speed                    : ${r.speed}`);
  if (r.kafka)
    out.push(
      `baseline kafkajs produce→consume : ${fmt(r.kafka.endToEndRate)} msgs/s (${r.kafka.messages} × ${PAYLOAD_BYTES} B, batches of ${BATCH}, acks=all; produce alone ${fmt(r.kafka.produceRate)} msgs/s)`,
    );
  if (r.postgres)
    out.push(
      `baseline postgres batched insert : ${fmt(r.postgres.batchedRate)} rows/s (${r.postgres.rows} outbox-shaped rows, INSERTs of ${BATCH}); single-row commits ${fmt(r.postgres.commitsPerSecond)}/s on 1 connection`,
    );
  if (r.warmup) {
    const w = r.warmup;
    const cold = w.cold
      ? `; its first ${w.cold.seconds.toFixed(0)} s: ${fmt(w.cold.loops / w.cold.seconds)} loops/s at ${w.cold.msPerLoop.toFixed(1)} ms of CPU a loop (services + their postgres + kafka)`
      : '';
    out.push(
      `warm-up (closed loop, as below)  : ${w.loops} loops in ${w.seconds} s; loops/s per ${Number.isInteger(w.windowSeconds) ? w.windowSeconds : w.windowSeconds.toFixed(1)} s: ${w.windows.map((n) => fmt(n / w.windowSeconds)).join(', ')}${cold}`,
    );
  }
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
      `latency at ${fmt(l.rate)}/s (p50/p95/p99/max): ${fmt(l.p50)} / ${fmt(l.p95)} / ${fmt(l.p99)} / ${fmt(l.max)} ms (${l.sent} loops, sent at ${fmt(l.achievedRate)}/s; POST p50/p99 ${fmt(l.httpP50)} / ${fmt(l.httpP99)} ms)` +
        (l.fellBehind ? `; fell behind: stopped sending after ${l.fellBehind.issued} of ${l.fellBehind.planned}` : ''),
    );
  }
  if (r.latencyNoise) out.push(`cpu in latency phase             : ${r.latencyNoise}`);
  if (r.post) {
    const p = r.post;
    out.push(
      `POST at ${fmt(p.rate)}/s, loop running: p50/p95/p99/max ${fmt(p.p50)} / ${fmt(p.p95)} / ${fmt(p.p99)} / ${fmt(p.max)} ms (${p.sent} POSTs, sent at ${fmt(p.achievedRate)}/s)` +
        (p.fellBehind ? `; fell behind: stopped sending after ${p.fellBehind.issued} of ${p.fellBehind.planned}` : ''),
    );
    if (p.answered?.length) out.push(`  approval's own time to answer (from a request's arrival): ${describeAnswerShares(p.answered)}`);
    if (p.direct !== undefined) out.push(`  by the direct path past Express and Nest (ADR 0128): ${p.direct} of ${p.sent} POSTs`);
  }
  if (r.backlog) {
    const b = r.backlog;
    out.push(
      `backlog drain                    : ${fmt(b.rate)} events/s (${b.drained} of ${b.events} decided events applied by supervision in ${b.seconds.toFixed(1)} s${b.finished ? '' : ', stopped at the time limit'}` +
        `${b.peakRssKib ? `; its peak RSS ${(b.peakRssKib / 1024).toFixed(0)} MiB` : ''})`,
    );
    if (b.cpuPerEvent)
      out.push(
        `backlog drain cpu per event (ms) : ${cpuPerEventTotal(b.cpuPerEvent).toFixed(3)} = supervision ${b.cpuPerEvent.supervision.toFixed(3)}, ` +
          `its postgres ${b.cpuPerEvent.postgres.toFixed(3)}, kafka ${b.cpuPerEvent.kafka.toFixed(3)}`,
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
  out.push(...verdicts(r, goals));
  return out.join('\n');
}

const cpuPerEventTotal = (cpu: { supervision: number; postgres: number; kafka: number }) => cpu.supervision + cpu.postgres + cpu.kafka;

/**
 * One line per goal of the issue (P1–P5), each followed, when it is not met, by why: what this run's own
 * figures say bounds it (the CPU a loop or an event costs against the cores there are, the rate a latency
 * was measured at), so that a reader of the output alone can tell what would have to change.
 */
export function verdicts(r: Results, goals: Goals): string[] {
  const out: string[] = [];
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const why = (text: string) => out.push(`   why: ${text}`);
  const budgetMs = (r.cores * 1000) / goals.loopsPerSecond;
  if (r.throughput) {
    const met = r.throughput.rate >= goals.loopsPerSecond;
    out.push(`P1 >= ${goals.loopsPerSecond} loops/s sustained: ${verdict(met)}`);
    if (!met && r.loopCpu) why(p1Why(r, goals, r.loopCpu, budgetMs));
  }
  if (r.latency) {
    const l = r.latency;
    const loopMet = l.rate >= goals.loopsPerSecond && !l.fellBehind && l.p99 <= goals.p99Ms;
    // The POST half from its own phase at the goal's rate when the run had it, else from the latency phase's POSTs.
    const post = r.post
      ? { p99: r.post.p99, rate: r.post.achievedRate, fellBehind: r.post.fellBehind, own: true }
      : { p99: l.httpP99, rate: l.achievedRate, fellBehind: l.fellBehind, own: false };
    const postMeasured = post.rate >= goals.postRate * 0.98;
    const postMet = postMeasured && !post.fellBehind && post.p99 <= goals.postP99Ms;
    out.push(
      `P2 loop p99 <= ${goals.p99Ms} ms at >= ${goals.loopsPerSecond}/s, POST p99 <= ${goals.postP99Ms} ms at ${goals.postRate} req/s: ${verdict(loopMet && postMet)} ` +
        `(p99 ${fmt(l.p99)} ms measured at ${fmt(l.rate)}/s; POST p99 ${fmt(post.p99)} ms${post.own ? ` at ${fmt(post.rate)} req/s` : ''})`,
    );
    if (l.fellBehind)
      why(
        `the system fell behind ${fmt(l.rate)}/s: the phase stopped sending after ${l.fellBehind.issued} of ${l.fellBehind.planned} approvals, ` +
          `with more requests in flight than it allows`,
      );
    else if (!loopMet) why(p2LoopWhy(l, goals));
    if (post.own && post.fellBehind)
      why(
        `the system fell behind ${goals.postRate} POSTs/s: stopped sending after ${post.fellBehind.issued} of ${post.fellBehind.planned}`,
      );
    else if (!postMet && !post.fellBehind)
      why(
        post.own
          ? `POST p99 ${fmt(post.p99)} ms at ${fmt(post.rate)} req/s with the loop running` +
              (r.post?.tail ? `; ${describeTail(r.post.tail, goals.postP99Ms)}` : '') +
              (r.post?.answered?.length ? `; approval answered ${describeAnswerShares(r.post.answered)} of their arrival` : '') +
              ` (\`npm run bench:ingest\` measures approval alone)`
          : postMeasured
            ? `POST p99 ${fmt(post.p99)} ms at ${fmt(post.rate)} req/s` +
              (post.rate > goals.postRate * 1.1
                ? `, beside the loop's own work; \`npm run bench:ingest\` measures them alone at ${goals.postRate}/s`
                : '')
            : `POSTs went at ${fmt(post.rate)}/s here, below ${goals.postRate}: \`npm run bench:ingest\` measures them alone at ${goals.postRate}/s`,
      );
  }
  if (r.throughput && r.kafka) {
    const ratio = (r.throughput.rate * goals.eventsPerLoop) / r.kafka.endToEndRate;
    out.push(`P3 ratio >= ${goals.ratio}: ${verdict(ratio >= goals.ratio)}`);
    if (ratio < goals.ratio) {
      const needed = (goals.ratio * r.kafka.endToEndRate) / goals.eventsPerLoop;
      why(
        `it follows the loop rate: ${goals.ratio} of this run's kafkajs ${fmt(r.kafka.endToEndRate)} msgs/s at ${goals.eventsPerLoop} events a loop ` +
          `needs ${fmt(needed)} loops/s; ${fmt(r.throughput.rate)} were sustained`,
      );
    }
  }
  if (r.backlog) {
    const b = r.backlog;
    const judged = b.events >= goals.backlogEvents;
    const met = judged && b.rate >= goals.backlogRate && b.finished;
    out.push(`P4 backlog drain >= ${goals.backlogRate} events/s: ${judged ? verdict(met) : 'not measured'}`);
    if (!judged)
      why(
        `this run's backlog was ${b.events} events (BENCH_BACKLOG); P4 asks for ${goals.backlogEvents}: a small backlog drains ` +
          `within the first polls, at ${fmt(b.rate)} events/s here`,
      );
    else if (!met && !b.finished) why(`the drain did not finish in its time limit (${b.drained} of ${b.events} applied)`);
    else if (!met && b.cpuPerEvent) {
      const total = cpuPerEventTotal(b.cpuPerEvent);
      why(
        `an event costs ${total.toFixed(3)} ms of CPU (supervision ${b.cpuPerEvent.supervision.toFixed(3)}, its postgres ${b.cpuPerEvent.postgres.toFixed(3)}, ` +
          `kafka ${b.cpuPerEvent.kafka.toFixed(3)}): ${r.cores} cores give at most ≈ ${fmt((r.cores * 1000) / total)} events/s; ` +
          `${goals.backlogRate}/s needs ≤ ${((r.cores * 1000) / goals.backlogRate).toFixed(3)} ms an event`,
      );
      // One supervision process applies the drain on one JavaScript thread: its own CPU an event caps it,
      // whatever the other core has left (its GC's helper threads count in that CPU, so the cap is a bound).
      // A second replica shares the partitions but not the two cores (ADR 0114).
      const oneProcess = 1000 / b.cpuPerEvent.supervision;
      if (oneProcess < goals.backlogRate)
        why(
          `supervision is one process, its handlers one JavaScript thread: at ${b.cpuPerEvent.supervision.toFixed(3)} ms an event it applies ` +
            `at most ≈ ${fmt(oneProcess)} events/s; ${goals.backlogRate}/s needs ≤ ${(1000 / goals.backlogRate).toFixed(3)} ms an event in it (ADR 0114)`,
        );
    }
  }
  if (r.memory) {
    const peak = Math.max(r.memory.approval, r.memory.supervision) / 1024;
    out.push(`P5 peak RSS <= ${goals.rssMiB} MiB per service: ${verdict(peak <= goals.rssMiB)}`);
    if (peak > goals.rssMiB) why(`approval peaked at ${mib(r.memory.approval)}, supervision at ${mib(r.memory.supervision)}`);
  }
  return out;
}

/**
 * Where a tail over the goal came from, for P2's why (ADR 0132): the seconds of its crowds and what the
 * machine did in each (a disk stall: some task waited for the disk 100 ms of the second or more, three times
 * the phase's median second; a CPU stall: some task waited for a core a fifth longer than in the median
 * second), and the p99 of the requests due in the other seconds; or that no second held a crowd.
 */
export function describeTail(tail: Tail, goalMs: number): string {
  if (tail.crowds.length === 0)
    return `its ${tail.slow} POSTs over ${goalMs} ms were spread over the phase, no second holding a fifth of them: a steady tail, not a stall`;
  const median = tail.medianStall;
  let disk = false;
  const crowd = ({ second, slow, stall }: Tail['crowds'][number]) => {
    if (!stall || !median) return `second ${second} (${slow})`;
    const diskStall = stall.io >= 100 && stall.io >= 3 * median.io;
    disk ||= diskStall;
    const kind = diskStall ? 'a disk stall' : stall.cpu >= 1.2 * median.cpu ? 'a CPU stall' : 'no stall';
    return `second ${second} (${slow}), ${kind}: some task waited for the disk ${fmt(stall.io)} ms of it and for a core ${fmt(stall.cpu)} ms`;
  };
  const inCrowds = tail.crowds.reduce((sum, { slow }) => sum + slow, 0);
  const crowds = tail.crowds.map(crowd).join('; ');
  return (
    `${inCrowds} of the ${tail.slow} POSTs over ${goalMs} ms were due in ${tail.crowds.length === 1 ? 'one second' : `${tail.crowds.length} seconds`}: ${crowds}` +
    (median ? `, against ${fmt(median.io)} and ${fmt(median.cpu)} in the phase's median second` : '') +
    (disk ? " (a disk stall is the host's writeback, ADR 0098)" : '') +
    `; the POSTs due outside ${tail.crowds.length === 1 ? 'that second' : 'those seconds'} had p99 ${fmt(tail.p99Outside)} ms`
  );
}

/** Why P2's loop half is not met by a phase that kept its rate: its p99 there, or the rate it ran at instead. */
function p2LoopWhy(l: NonNullable<Results['latency']>, goals: Goals): string {
  const goal = goals.loopsPerSecond;
  if (l.rate >= goal) return `the p99 at ${fmt(l.rate)}/s is ${fmt(l.p99)} ms`;
  if (l.basis === 'half')
    return `the latency phase runs at ${goal}/s only when the throughput phase sustained it (P1); it ran at half the sustained rate (${fmt(l.rate)}/s): the p99 at ${goal}/s is not measured`;
  return `the latency phase ran at ${fmt(l.rate)}/s (BENCH_LATENCY_RATE): the p99 at ${goal}/s is not measured`;
}

/** P1's why: CPU-bound (the loop's CPU against the cores) or not (the machine had room: waiting bounds it). */
function p1Why(r: Results, goals: Goals, cpu: NonNullable<Results['loopCpu']>, budgetMs: number): string {
  const entries = Object.entries(cpu.msPerLoop).sort(([, a], [, b]) => b - a);
  const perLoop = entries.reduce((sum, [, ms]) => sum + ms, 0);
  const parts = entries
    .filter(([, ms]) => ms >= 0.05)
    .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
    .join(', ');
  const busy = `${(cpu.busy * 100).toFixed(0)}% busy`;
  if (cpu.busy < BUSY) {
    return (
      `the machine was only ${busy}: the rate is bound by waiting (${goals.concurrency} requests in flight, ` +
      `the hops' latency), not by CPU; a loop costs ${perLoop.toFixed(1)} ms of CPU (${parts})`
    );
  }
  return (
    `CPU-bound (machine ${busy}): a loop costs ${perLoop.toFixed(1)} ms of CPU (${parts}), ` +
    `so ${r.cores} cores give at most ≈ ${fmt((r.cores * 1000) / perLoop)} loops/s, less what the bench itself uses; ` +
    `${goals.loopsPerSecond}/s needs ≤ ${budgetMs.toFixed(1)} ms a loop`
  );
}

/** Busier than this, a phase counts as CPU-bound (the rest is the scheduler's slack and the bench's ticks). */
const BUSY = 0.85;

/**
 * Autovacuum in a phase (the throughput phase's sending, the backlog drain): in how many of the poller's
 * samples a worker ran in each service's database, on which tables. Its CPU counts with that database
 * (pg:approval, pg:supervision; the drain's "its postgres").
 */
export function describeVacuum(
  vacuum: Map<string, { samples: number; tables: Set<string> }>,
  samples: number,
  databases: Array<[string, string]>,
  phase = 'while sending',
): string {
  const parts = databases.flatMap(([service, database]) => {
    const seen = vacuum.get(database);
    return seen ? [`${service}'s database in ${seen.samples} of ${samples} samples (${[...seen.tables].sort().join(', ')})`] : [];
  });
  return `autovacuum ${phase}: ${parts.length > 0 ? `${parts.join('; ')}; its CPU counts with the database` : 'none seen'}`;
}

/**
 * The CPU of a further POST between the lowest and the highest rate (cores added over requests added), beside
 * the CPU a POST costs at the lowest rate: approval busy a small share of the time runs the same code
 * several times slower (ADR 0113), so the CPU per POST at one rate is not what a POST costs at another.
 */
export function furtherPostCost(measured: ReadonlyArray<{ rate: number; approval: number; pg: number }>): string {
  const byRate = [...measured].sort((a, b) => a.rate - b.rate);
  const low = byRate[0];
  const high = byRate[byRate.length - 1];
  const further = (key: 'approval' | 'pg') => (((high[key] - low[key]) / (high.rate - low.rate)) * 1000).toFixed(2);
  const at = (key: 'approval' | 'pg') => ((low[key] / low.rate) * 1000).toFixed(2);
  return (
    `CPU of a further POST between ${fmt(low.rate)}/s and ${fmt(high.rate)}/s: approval ${further('approval')} + its pg ${further('pg')} ms ` +
    `(a POST at ${fmt(low.rate)}/s: ${at('approval')} + ${at('pg')} ms; ADR 0113)`
  );
}
