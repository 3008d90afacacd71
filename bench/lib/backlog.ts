import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Client } from 'pg';
import { ApprovalDecidedV2, createEnvelope, Topics } from '@backbone/contracts';
import { type ServiceProcess, TestSystem, testUscc } from '@backbone/testing';
import { BATCH } from './baselines';
import { log, progress, run, sleep } from './util';

/** What a backlog drain measured: events applied between supervision's first and last inbox commit. */
export interface BacklogResult {
  events: number;
  drained: number;
  seconds: number;
  rate: number;
  finished: boolean;
  /** The further supervision processes that drained beside the first (BENCH_DRAIN_REPLICAS), still running. */
  replicas: ServiceProcess[];
}

/**
 * P4's backlog: `count` valid decided events produced as approval would (supervision must be stopped),
 * each with a correlation id under one marker, which `drainBacklog` counts in supervision's inbox.
 */
export async function produceBacklog(system: TestSystem, count: number): Promise<{ marker: string; produced: number }> {
  const kafka = new Kafka({ clientId: 'bench-backlog', brokers: system.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const marker = `backlog-${randomUUID()}`;
  let produced = 0;
  const stopProducing = progress('backlog produce', () => `produced ${produced}/${count}`);
  try {
    while (produced < count && !run.aborted) {
      const messages = Array.from({ length: Math.min(BATCH, count - produced) }, (_, i) => {
        const n = produced + i;
        const uscc = testUscc(3_000_000 + (n % 50_000));
        const data: ApprovalDecidedV2 = {
          approvalId: randomUUID(),
          version: 1,
          uscc,
          entityName: `连云港积压测试${n}号食品有限公司`,
          itemCode: 'FOOD-BUSINESS-LICENCE',
          regionCode: '320703',
          approverDepartment: '320700-APPROVAL',
          kind: 'licence',
          outcome: 'granted',
          licenceNumber: `JY9${String(n).padStart(10, '0')}`,
          decidedAt: new Date().toISOString(),
        };
        const envelope = createEnvelope(ApprovalDecidedV2, { source: '/bench', subject: uscc, data, correlationId: `${marker}-${n}` });
        return { key: uscc, value: JSON.stringify(envelope) };
      });
      await producer.send({ topic: system.topic(Topics.ApprovalEvents), acks: -1, messages });
      produced += messages.length;
    }
  } finally {
    stopProducing();
    await producer.disconnect().catch(() => undefined);
  }
  return { marker, produced };
}

/**
 * Sorts processes for a drain's CPU (a CpuTracker's classifier): supervision's own process when `supervisionPid`
 * is given, the backends of its database, Kafka, and everything else.
 */
export function drainProcesses(database: string, supervisionPid?: () => number | undefined): (pid: number, cmdline: string) => string {
  return (pid, cmdline) =>
    supervisionPid && pid === supervisionPid()
      ? 'supervision'
      : cmdline.startsWith('postgres') && cmdline.includes(database)
        ? 'postgres'
        : cmdline.includes('kafka.Kafka')
          ? 'kafka'
          : 'other';
}

/**
 * Starts supervision and waits until it has applied the backlog (or `seconds` passed); the rate is the
 * events applied between its first and last inbox commit. `onStarted` is called once it is up (its
 * boot done, its consumer joining): where a caller starts counting the drain's CPU. With `replicas` > 1
 * that many supervision processes start together and share the backlog's partitions, as a scaled-out
 * deployment would (one consumer group; one of them relays the outbox).
 */
export async function drainBacklog(
  system: TestSystem,
  supervisionDb: Client,
  { marker, produced }: { marker: string; produced: number },
  seconds: number,
  { onStarted, replicas = 1 }: { onStarted?: () => void; replicas?: number } = {},
): Promise<BacklogResult> {
  log(`backlog: ${produced} decided events waiting; starting supervision${replicas > 1 ? ` (${replicas} processes)` : ''}`);
  // While it drains, progress is read from the statistics' count of inbox rows inserted (one row, no scan);
  // the exact count below scans the inbox (no index on correlation_id, ADR 0031): ~25 ms of the drain's
  // PostgreSQL per poll at 40,000 rows when it was the poll, and counted in "its postgres" (ADR 0036).
  const inserted = async () =>
    Number(
      (await supervisionDb.query(`SELECT coalesce(sum(n_tup_ins), 0) AS n FROM pg_stat_user_tables WHERE relname = 'inbox'`)).rows[0].n,
    );
  const applied = async () =>
    Number((await supervisionDb.query(`SELECT count(*) AS n FROM inbox WHERE correlation_id LIKE $1`, [`${marker}-%`])).rows[0].n);
  const insertedBefore = await inserted();
  const first = system.service('supervision').start();
  const others = await Promise.all(Array.from({ length: replicas - 1 }, () => system.startReplica('supervision')));
  await first;
  onStarted?.();
  let drained = 0;
  const stop = progress('backlog drain', () => `applied ${drained}/${produced}`);
  const deadline = Date.now() + seconds * 1000;
  try {
    let seen = -1;
    for (;;) {
      // The statistics count rows a rolled-back chunk inserted too: the exact count decides when it says done.
      // They also lag: an idle backend reports its last counts only after up to 10 s (PostgreSQL's stats
      // flush), so when they have not moved since the last look, the exact count is taken instead.
      const counted = Math.min(produced, (await inserted()) - insertedBefore);
      drained = counted;
      if ((counted >= produced || counted === seen) && (drained = await applied()) >= produced) break;
      seen = counted;
      if (Date.now() >= deadline || run.aborted) break;
      await sleep(500);
    }
    drained = await applied();
  } finally {
    stop();
  }
  const { rows } = await supervisionDb.query(
    `SELECT EXTRACT(EPOCH FROM (max(processed_at) - min(processed_at))) AS seconds FROM inbox WHERE correlation_id LIKE $1`,
    [`${marker}-%`],
  );
  const spent = Math.max(0.001, Number(rows[0].seconds));
  return { events: produced, drained, seconds: spent, rate: drained / spent, finished: drained >= produced, replicas: others };
}
