import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, Message, Partitioners } from 'kafkajs';
import type { Client } from 'pg';
import { ApprovalDecidedV1 } from '@backbone/contracts';
import { connectTestDatabase, createTestDatabase, dropTestDatabase, TestInfra, testUscc } from '@backbone/testing';
import { now, progress, run, sleep } from './util';

/** Messages per producer send and rows per INSERT in the baselines (what the relay and a batched writer do). */
export const BATCH = 500;
/** Size of one baseline message or row value, about that of a loop event. */
export const PAYLOAD_BYTES = 600;

export interface KafkaBaseline {
  messages: number;
  produceRate: number;
  endToEndRate: number;
}

/** kafkajs: one idempotent acks=all producer sending batches of 500 (as the relay does), one group reading all. */
export async function kafkaBaseline(infra: TestInfra, count: number, rng: () => number): Promise<KafkaBaseline> {
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
      for (let i = 0; produced < count && !run.aborted; i++) {
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

export interface PostgresBaseline {
  rows: number;
  batchedRate: number;
  commitsPerSecond: number;
}

/** PostgreSQL: outbox-shaped rows in multi-row INSERTs of 500; then one-row transactions (a commit each). */
export async function postgresBaseline(infra: TestInfra, count: number): Promise<PostgresBaseline> {
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
      while (inserted < count && !run.aborted) {
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
      while (now() - commitStart < 3000 && !run.aborted) {
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
