import { Inject, Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import type { Notification, PoolClient } from 'pg';
import type { Message } from 'kafkajs';
import { BaseServiceConfig, Metrics, SERVICE_CONFIG, SERVICE_NAME } from '@backbone/platform';
import { KafkaClient } from './kafka.client';
import { readFollowers } from './outbox-followers';
import { OutboxSignal } from './outbox-signal';
import type { RelayMessage } from './outbox-kept';

/** The channel the outbox trigger notifies on commit (migration OutboxNotify1763800001100). */
export const OUTBOX_CHANNEL = 'backbone_outbox';

/** An unsent row as a pass first reads it: its id (the order) and its first message's event id (ADR 0116). */
interface UnsentRow {
  id: string;
  event_id: string;
}

/** The unsent rows of a pass, in order, by the index that holds only them (ADR 0081). */
export const UNSENT_ROWS = `SELECT id, event_id FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1`;
/** The rows of a pass whose messages this process does not keep, read whole (by primary key). */
export const STORED_ROWS = `SELECT id, topic, message_key, value, headers, more_messages FROM outbox WHERE id = ANY($1::bigint[])`;

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  value: Buffer;
  headers: Record<string, string>;
  /** The row's further messages as their bytes (ADR 0092, laid out as ADR 0109 has it), null for a row of one. */
  more_messages: Buffer | null;
}

/** Hooks for fault tests: called between the broker's acknowledgement and the row's deletion (or `sent_at` update). */
export interface RelayFaults {
  afterPublish?: (ids: string[]) => void | Promise<void>;
}

/**
 * Publishes the outbox to Kafka.
 *
 * - It reads every row still unsent (`sent_at IS NULL`) in id order, never "id > last seen": a row
 *   whose transaction committed late is simply found on a later pass. The messages of a row this
 *   process wrote come from memory (`KeptMessages`, ADR 0116), the others' from the table. A pass takes up to
 *   OUTBOX_BATCH_SIZE rows; a row may carry several messages (`more_messages`, `Outbox.addTogether`),
 *   published together after the row's own, in order, each its own Kafka message with its own key and
 *   headers, in the same batch: per-key order is row order, then order within the row.
 * - Rows are deleted (or, with OUTBOX_RETENTION_HOURS > 0, marked sent) only after the broker
 *   acknowledged them, every message of each (acks=all, idempotent producer). A crash in between publishes them again;
 *   consumers' inboxes absorb the duplicate. What is unsent is what is in the outbox with no `sent_at`.
 * - It is woken when rows are committed: in process by the outbox's commit signal, from other
 *   processes by NOTIFY (a trigger on the outbox, heard on the leader's own connection); it waits
 *   OUTBOX_LINGER_MS for the commits that come together, and polls every OUTBOX_IDLE_MS only as a
 *   safety net.
 * - One relay per service runs at a time (a PostgreSQL advisory lock held on its own connection),
 *   so batches leave in outbox order and per-key order holds across replicas.
 * - It starts with the inbox (`startInbox`), once the service listens and its migrations have run:
 *   a restart serves REST before it connects a producer and publishes what waited (ADR 0014).
 */
@Injectable()
export class OutboxRelay implements BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private runner?: QueryRunner;
  private wake?: () => void;
  /** Rows were committed since the last pass began. */
  private signalled = false;
  private readonly unsubscribe: () => void;
  private listening?: { client: PoolClient; onNotification: (message: Notification) => void };
  private readonly lockKey: number;
  private readonly published;
  /** Rows whose messages this process did not keep (ADR 0116): read whole, acknowledged. */
  private readonly readBack;
  private readonly batches;
  private readonly leader;
  faults: RelayFaults = {};

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaClient,
    @Inject(SERVICE_CONFIG) private readonly config: BaseServiceConfig,
    @Inject(SERVICE_NAME) serviceName: string,
    metrics: Metrics,
    private readonly outboxSignal: OutboxSignal,
  ) {
    this.unsubscribe = outboxSignal.subscribe(() => this.signal());
    this.lockKey = advisoryLockKey(`outbox-relay:${serviceName}`);
    this.published = metrics.counter('outbox_published_total', 'Outbox messages acknowledged by Kafka', ['topic']);
    this.readBack = metrics.counter(
      'outbox_rows_read_back_total',
      "Outbox rows the relay published from the table's bytes: written by another process, before this one led, or beyond what it keeps",
    );
    this.batches = metrics.histogram(
      'outbox_batch_seconds',
      'Time to publish one outbox batch',
      [],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    );
    this.leader = metrics.gauge('outbox_relay_leader', '1 while this instance holds the relay lock');
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.releaseLeadership();
  }

  /**
   * Before, not at, application shutdown: Nest runs one module's onApplicationShutdown hooks together, so
   * at that stage KafkaClient would disconnect the producer under a send still retrying (a leader moving,
   * say), and kafkajs's retry would then open a new connection that nothing ever closes. Here the relay's
   * last pass finishes, and its lock is released, before the Kafka client and the database close.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe();
    await this.stop();
  }

  /** Rows were committed: the next pass starts now (after the linger), not at the next poll. */
  signal(): void {
    this.signalled = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (!(await this.ensureLeadership())) {
          await this.sleep(1000);
          continue;
        }
        // Commits signalled before this pass's SELECT are seen by it.
        this.signalled = false;
        const count = await this.relayOnce();
        failures = 0;
        if (count >= this.config.OUTBOX_BATCH_SIZE) continue;
        if (!this.signalled) await this.sleep(this.config.OUTBOX_IDLE_MS);
        // Woken: gather the commits that come together into one batch.
        if (this.signalled && this.config.OUTBOX_LINGER_MS > 0) await this.pause(this.config.OUTBOX_LINGER_MS);
      } catch (error) {
        failures++;
        this.logger.warn(`relay pass failed (${failures} in a row): ${(error as Error).message}`);
        await this.releaseLeadership();
        await this.sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  /** One pass: publish up to one batch of unsent rows (every message of each); returns how many rows were published. */
  async relayOnce(): Promise<number> {
    const runner = this.runner;
    if (!runner) throw new Error('relay is not the leader');
    // The unsent rows in order, without their bytes: the messages of the rows this process wrote are kept
    // in memory (ADR 0116); only the others' bytes are read, in a second statement.
    const unsent: UnsentRow[] = await runner.query(UNSENT_ROWS, [this.config.OUTBOX_BATCH_SIZE]);
    if (unsent.length === 0) return 0;
    const stopTimer = this.batches.startTimer();
    const kept = this.outboxSignal.kept;
    // Loops, not callbacks made per call: a closure made per call loses its optimized code at each major
    // collection, and this runs for every batch (ADR 0118).
    const keptMessages: Array<RelayMessage[] | undefined> = [];
    const notKept: string[] = [];
    const ids: string[] = [];
    const eventIds: string[] = [];
    for (const row of unsent) {
      const messages = kept.get(row.event_id);
      keptMessages.push(messages);
      if (messages === undefined) notKept.push(row.id);
      ids.push(row.id);
      eventIds.push(row.event_id);
    }
    const stored = new Map<string, OutboxRow>();
    if (notKept.length > 0) for (const row of (await runner.query(STORED_ROWS, [notKept])) as OutboxRow[]) stored.set(row.id, row);
    const byTopic = new Map<string, Message[]>();
    for (let i = 0; i < unsent.length; i++) {
      const messages = keptMessages[i];
      if (messages) {
        for (const message of messages) sendTo(byTopic, message.topic, message);
        continue;
      }
      // Read in the same session, and only this leader deletes: a row found unsent is still there.
      const row = unsent[i];
      const readBack = stored.get(row.id);
      if (!readBack) throw new Error(`outbox row ${row.id} was unsent and is no longer there`);
      sendTo(byTopic, readBack.topic, { key: readBack.message_key, value: readBack.value, headers: readBack.headers });
      // a follower is a Kafka message (key, value, headers) with its topic: sent as it is read
      if (readBack.more_messages !== null) for (const more of readFollowers(readBack.more_messages)) sendTo(byTopic, more.topic, more);
    }
    const topicMessages: Array<{ topic: string; messages: Message[] }> = [];
    for (const [topic, messages] of byTopic) topicMessages.push({ topic: this.kafka.physical(topic), messages });
    const producer = await this.kafka.producer();
    await producer.sendBatch({ acks: -1, topicMessages });
    await this.faults.afterPublish?.(ids);
    // Acknowledged: deleted at once (no new row version, no index entries, nothing for retention to purge),
    // or marked and kept OUTBOX_RETENTION_HOURS when an operator wants the published record kept (ADR 0013).
    await runner.query(
      this.config.OUTBOX_RETENTION_HOURS === 0
        ? `DELETE FROM outbox WHERE id = ANY($1::bigint[])`
        : `UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])`,
      [ids],
    );
    kept.forget(eventIds);
    for (const [topic, messages] of byTopic) this.published.inc({ topic }, messages.length);
    if (notKept.length > 0) this.readBack.inc(notKept.length);
    stopTimer();
    return unsent.length;
  }

  private async ensureLeadership(): Promise<boolean> {
    if (this.runner) return true;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [this.lockKey]);
    if (!locked) {
      await runner.release();
      return false;
    }
    this.runner = runner;
    // Commits of other processes (replicas) wake this leader; its own come by the in-process signal too.
    const client = (await runner.connect()) as PoolClient;
    const onNotification = (message: Notification) => {
      if (message.channel === OUTBOX_CHANNEL) this.signal();
    };
    client.on('notification', onNotification);
    this.listening = { client, onNotification };
    await runner.query(`LISTEN ${OUTBOX_CHANNEL}`);
    // Every statement of the relay finds its rows by an index (unsent ones in order by `outbox_unsent`, then
    // by primary key). Rows are deleted as soon as Kafka has them, so between vacuums the table is mostly
    // dead rows; statistics taken then can make a sequential or bitmap scan and a sort look cheaper than the
    // ordered index scan. Those read every dead row on every pass; the index scan marks dead entries once and
    // skips them after (ADR 0081). Reset when the connection goes back to the pool.
    await runner.query(`SET enable_seqscan = off; SET enable_bitmapscan = off`);
    this.leader.set(1);
    // The rows this process writes from now on are kept for this relay (ADR 0116).
    this.outboxSignal.kept.setKeeping(true);
    this.logger.log('this instance now relays the outbox');
    return true;
  }

  private async releaseLeadership(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    this.leader.set(0);
    this.outboxSignal.kept.setKeeping(false);
    const listening = this.listening;
    this.listening = undefined;
    listening?.client.removeListener('notification', listening.onNotification);
    if (!runner) return;
    try {
      if (listening) await runner.query(`UNLISTEN ${OUTBOX_CHANNEL}`);
      await runner.query(`RESET enable_seqscan; RESET enable_bitmapscan`);
      await runner.query(`SELECT pg_advisory_unlock($1)`, [this.lockKey]);
    } catch {
      // the connection is gone, and the lock with it
    }
    await runner.release().catch(() => undefined);
  }

  /** Waits without being cut short by signals. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** A stable 32-bit key for pg_advisory_lock from a name. */
export function advisoryLockKey(name: string): number {
  let hash = 0;
  for (const char of name) hash = (Math.imul(31, hash) + char.charCodeAt(0)) | 0;
  return hash;
}

/** Adds a message to its topic's list. */
function sendTo(byTopic: Map<string, Message[]>, topic: string, message: Message): void {
  const messages = byTopic.get(topic);
  if (messages) messages.push(message);
  else byTopic.set(topic, [message]);
}
