import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { Consumer, EachBatchPayload, KafkaMessage, OffsetsByTopicPartition } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { ALL_TOPICS, checkedPayload, Envelope, EnvelopeError, eventClassOf, parseEnvelope } from '@backbone/contracts';
import {
  BaseServiceConfig,
  DomainError,
  GroupCommit,
  Metrics,
  ReadinessProbes,
  SERVICE_CONFIG,
  transientError,
  workContext,
} from '@backbone/platform';
import { KafkaClient } from './kafka.client';
import { INBOX_BATCH, InboxBatch, InboxContext, InboxItem } from './inbox-context';
import { Outbox } from './outbox';
import { DeadLetterFacts, DeadLetters } from './dead-letters.service';
import { ConsumerStopping, OutagePause } from './outage-pause';
import { ConsumerExit, settlesWithin } from './consumer-exit';
import { ConsumerMembers } from './consumer-member';
import { keepAlive } from './keep-alive';
import { StopSignal, STOPPED } from './stop-signal';
import { jsonNulPath, MAX_ATTRIBUTE_LENGTH, unstorableDataError, utf8Problem } from './storable';

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  /** The key's bytes as they came, when they are not valid UTF-8 text (kept in the dead letter). */
  keyBytes?: Buffer | null;
}

/**
 * `@EventPattern(ANY_EVENT)`: called for every valid event on every topic, after the type's own
 * handler, in the same inbox transaction (e.g. to keep an audit trail of whole loops) — except the
 * topics whose events the service records when it writes them (`Outbox.recordOwnEvents`).
 */
export const ANY_EVENT = '*';

/**
 * A graceful stop's bounds (ADR 0017): kafkajs's own stop usually ends in a fetch's wait plus a
 * LeaveGroup (tens of ms); past the grace it is cut short, the LeaveGroup gets its own bound, and
 * kafkajs's stop, going on in the background, is waited for at most the last one when the app closes.
 */
const CONSUMER_LEAVE_GRACE_MS = 1000;
const CONSUMER_LEAVE_MS = 2000;
const CONSUMER_FINISH_MS = 7000;
/**
 * How long a consumer's start waits for its predecessor's member to be removed from the group (ADR 0077),
 * and how long a removal is tried again while the broker does not answer.
 */
const PREDECESSOR_MS = 3000;
const REMOVAL_WINDOW_MS = 120_000;
/**
 * How long after a member left by LeaveGroup a (re)started consumer still takes it out of the group
 * (ADR 0094): a broker restarted before the group's next generation was stored brings it back.
 */
const RECENTLY_LEFT_MS = 10 * 60_000;
/** How long a graceful stop waits to record that its member left (the database may be out). */
const LEFT_RECORD_MS = 2000;

/**
 * Keeps consumed events in a table of the service's own, keyed by event id, in the inbox transaction:
 * inserts the rows of those not kept yet (`ON CONFLICT DO NOTHING RETURNING`) and returns their ids.
 * Registered with `InboxTransport.keepEventsWith`, that row is the event's dedup record in place of
 * an inbox row (ADR 0031).
 */
export type ConsumedEventKeeper = (manager: EntityManager, envelopes: Envelope[]) => Promise<string[]>;

/** The outcome of one message: applied, already applied (a redelivery), not for us, or dead-lettered. */
export type Outcome = 'applied' | 'duplicate' | 'ignored' | 'dead-lettered';

/** A message parsed and validated, ready to apply (or its permanent failure). */
interface Prepared {
  message: IncomingMessage;
  envelope?: Envelope;
  payload?: unknown;
  failure?: PermanentFailure;
}

/** What one transaction over a chunk did: committed, or rolled back with where and why. */
type ChunkAttempt = { ok: true } | { ok: false; batched: boolean; failedAt: number; error: unknown };

/** A chunk of a group that failed elsewhere (another chunk's message, or the transaction itself): try it again alone. */
const AGAIN = 'again';

/** A failure that will fail the same way on every attempt: dead-letter it at once. */
export class PermanentFailure extends Error {
  constructor(
    readonly kind: 'invalid' | 'unknown-type' | 'failed',
    message: string,
    readonly envelope?: Envelope,
  ) {
    super(message);
  }
}

/**
 * Kafka consumer as a Nest transport strategy: handlers keep the `@EventPattern(EventClass.type)` style,
 * but delivery follows the product's guarantees, which the stock Kafka transport does not give:
 *
 * - every message is parsed and validated (envelope, then the payload class of its type);
 *   an invalid or unknown message is dead-lettered at once, never crashing the consumer;
 * - a handler runs in one database transaction with the inbox row of the event id, so a redelivered
 *   event is recognised and applied once;
 * - offsets are committed only after that transaction committed (manual commits);
 * - a transient failure is retried a bounded number of times with exponential backoff, then
 *   dead-lettered, so a poison message never blocks its partition.
 */
@Injectable()
export class InboxTransport extends Server implements CustomTransportStrategy, OnModuleDestroy {
  private readonly log = new Logger(InboxTransport.name);
  private consumer?: Consumer;
  private exit?: ConsumerExit;
  /** Where this instance's member id is kept, and the last one a consumer of this process joined with (ADR 0077). */
  private members?: ConsumerMembers;
  private lastMember?: string;
  /** Removals of members left behind (by a crashed consumer, or by the process before this one), running in the background. */
  private readonly removals = new Map<string, Promise<void>>();
  /** The graceful stop in progress (one per listen()), and whether the consumer is (re)joining its group now. */
  private leaving?: Promise<void>;
  private joining = false;
  /** Per partition held, the offset to commit after the last chunk applied (what a stop commits before leaving). */
  private readonly resolved = new Map<string, { topic: string; partition: number; offset: string }>();
  private readonly outcomes;
  private readonly handling;
  private readonly outages = new OutagePause();
  private closed = false;
  /** Stopped when close() is called (armed again by listen()): a chunk in flight is not waited for. */
  private readonly closing = new StopSignal();
  /** Per partition, the first offset of the chunk being applied and since when (kept across a consumer restart). */
  private readonly inFlight = new Map<string, { offset: string; since: number }>();
  /** Why the consumer no longer consumes, if it stopped by itself. */
  private stoppedBecause?: string;
  /** Partitions' batches being applied now (a fetch hands one per partition), and when offsets were last committed. */
  private batchesInHand = 0;
  private lastCommit = 0;
  private readonly committed = new Map<string, string>();
  /** Keeps every consumed event in the service's own table, which then serves as the inbox (ADR 0031). */
  private keeper?: ConsumedEventKeeper;
  /** Handlers by event type: Nest's lookup tries JSON.parse on the pattern (and throws) on every call. */
  private readonly handlersByType = new Map<string, MessageHandler | null>();
  /**
   * Small chunks of different partitions in hand at the same time go in one transaction (ADR 0031): at
   * most CONSUMER_TRANSACTIONS run at once, and the chunks that arrive meanwhile leave together in the
   * next. None when CONSUMER_TRANSACTIONS is 0: each chunk has its own.
   */
  private readonly chunkGroups?: GroupCommit<Prepared[], ChunkAttempt | typeof AGAIN>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaClient,
    private readonly outbox: Outbox,
    private readonly deadLetters: DeadLetters,
    @Inject(SERVICE_CONFIG) private readonly config: BaseServiceConfig,
    metrics: Metrics,
    private readonly probes: ReadinessProbes,
  ) {
    super();
    if (config.CONSUMER_TRANSACTIONS > 0)
      this.chunkGroups = new GroupCommit(
        {
          lingerMs: 0,
          maxBatch: Math.max(1, config.CONSUMER_CONCURRENCY),
          concurrency: config.CONSUMER_TRANSACTIONS,
          // tryChunks answers every chunk itself; should it throw, the chunks go again one by one.
          retryAlone: (error) => !(error instanceof ConsumerStopping),
        },
        (chunks) => this.tryChunks(chunks),
      );
    this.outcomes = metrics.counter('inbox_messages_total', 'Consumed messages by outcome', ['type', 'outcome']);
    this.handling = metrics.histogram(
      'inbox_handle_seconds',
      'Time to apply one message',
      ['type'],
      [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    );
  }

  override addHandler(pattern: unknown, callback: MessageHandler, isEventHandler?: boolean, extras?: Record<string, unknown>): void {
    this.handlersByType.clear();
    super.addHandler(pattern, callback, isEventHandler, extras);
  }

  override getHandlerByPattern(pattern: string): MessageHandler | null {
    let handler = this.handlersByType.get(pattern);
    if (handler === undefined) this.handlersByType.set(pattern, (handler = super.getHandlerByPattern(pattern)));
    return handler;
  }

  /**
   * Every event of every topic not recorded at write time (`Outbox.recordOwnEvents`) is kept by
   * `keeper`, in the transaction that applies it, and that row is its dedup record: no inbox row is
   * written for it (ADR 0031). For a service that keeps every event anyway (approval's trail), in place
   * of an `@EventPattern(ANY_EVENT)` handler: one row and one statement per chunk instead of two. The
   * keeper's table must hold no other ids (the service's own events are excluded by their topic) and
   * must keep them at least as long as a redelivery can come (never purged, or as the inbox's retention).
   */
  keepEventsWith(keeper: ConsumedEventKeeper): void {
    this.keeper = keeper;
  }

  /** Whether events of this topic are kept by the keeper, which is then their dedup record. */
  private keptByKeeper(topic: string): boolean {
    return this.keeper !== undefined && !this.outbox.recordedAtWrite(topic);
  }

  /** Topics this service consumes: those that carry a type one of its handlers is for. */
  subscribedTopics(): string[] {
    const topics = new Set<string>();
    for (const type of this.messageHandlers.keys()) {
      if (type === ANY_EVENT) continue;
      const eventClass = eventClassOf(type);
      if (!eventClass) throw new Error(`@EventPattern('${type}') names no event in the contracts catalog`);
      topics.add(eventClass.topic);
    }
    const anyEvent = this.messageHandlers.has(ANY_EVENT) || this.keeper !== undefined;
    return ALL_TOPICS.filter((topic) => topics.has(topic) || (anyEvent && !this.outbox.recordedAtWrite(topic)));
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    // Kafka may still be settling (a broker restart, topics another service just created) or down:
    // keep trying while the service serves REST (its writes wait in the outbox meanwhile).
    const topics = this.subscribedTopics();
    this.closed = false;
    this.closing.reset();
    this.leaving = undefined;
    this.outages.resume();
    if (topics.length > 0)
      this.probes.register('consumer', async () => {
        const problem = this.consumerProblem();
        if (problem) throw new Error(problem);
      });
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        await this.kafka.ensureTopics();
        if (topics.length > 0) await this.startConsumer(topics);
        callback();
        return;
      } catch (error) {
        await this.consumer?.disconnect().catch(() => undefined);
        this.consumer = undefined;
        this.exit = undefined;
        if (!transientError(error) && attempt >= 20) {
          callback(error);
          return;
        }
        this.log.warn(`consumer start failed (attempt ${attempt}), retrying: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * attempt)));
      }
    }
  }

  /**
   * A tenth of the session, at most a second: a member learns of a rebalance (another member left or
   * joined) at its next heartbeat, so this bounds how long the partitions of a member that left wait
   * for their new owner (ADR 0014). One small request a second per member costs next to nothing.
   */
  private get heartbeatIntervalMs(): number {
    return Math.max(100, Math.min(1000, Math.floor(this.config.CONSUMER_SESSION_TIMEOUT_MS / 10)));
  }

  private async startConsumer(topics: string[]): Promise<void> {
    const exit = ConsumerExit.create(this.kafka.kafka, {
      groupId: this.kafka.consumerGroup,
      allowAutoTopicCreation: false,
      // A member killed without leaving holds its partitions until its session expires (ADR 0020).
      sessionTimeout: this.config.CONSUMER_SESSION_TIMEOUT_MS,
      heartbeatInterval: this.heartbeatIntervalMs,
      maxWaitTimeInMs: this.config.CONSUMER_FETCH_MAX_WAIT_MS,
      minBytes: this.config.CONSUMER_FETCH_MIN_BYTES,
      maxBytesPerPartition: this.config.CONSUMER_FETCH_MAX_BYTES_PER_PARTITION,
      maxBytes: Math.max(10 * 1024 * 1024, this.config.CONSUMER_FETCH_MAX_BYTES_PER_PARTITION * this.config.TOPIC_PARTITIONS),
      // kafkajs's own default (5 retries), and no restart after a crash once the transport is closing: a
      // restart would connect and join again after the stop (ADR 0017).
      retry: { retries: 5, restartOnFailure: async () => !this.closed },
    });
    const consumer = exit.consumer;
    this.batchesInHand = 0;
    this.joining = true;
    this.resolved.clear();
    this.lastCommit = Date.now();
    this.committed.clear();
    this.consumer = consumer;
    this.exit = exit;
    consumer.on(consumer.events.REBALANCING, () => (this.joining = true));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // Restarted, the consumer joins as a new member; the crashed one's LeaveGroup seldom reaches the
      // broker (its going away is why it crashed), so it is removed once the broker answers (ADR 0077).
      if (this.lastMember) void this.removeLeftBehind(this.lastMember, 'this instance');
      // A broker that went away (the usual crash) may come back with members that had left (ADR 0094):
      // read here when kafkajs restarts the consumer itself; a consumer started anew reads them at its start.
      if (payload.restart && !this.closed) void this.removeRecentlyLeft();
      // kafkajs restarts after retriable errors only; after any other crash the consumer would stay
      // down for good, so this transport starts a new one (offsets resume from the last commit).
      if (payload.restart || this.closed) return;
      this.stoppedBecause = `crashed (${payload.error.message}) and is restarting`;
      this.log.error(`consumer crashed, restarting it: ${payload.error.message}`);
      setTimeout(() => void this.restartConsumer(consumer, topics), 1000).unref();
    });
    consumer.on(consumer.events.STOP, () => {
      if (!this.closed) this.stoppedBecause = 'stopped';
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.stoppedBecause = undefined;
      this.joining = false;
      // Partitions that moved to another member are no longer this one's to be stuck on.
      const assigned = new Set(
        Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((partition) => `${topic}/${partition}`)),
      );
      for (const partition of this.inFlight.keys()) if (!assigned.has(partition)) this.inFlight.delete(partition);
      for (const partition of this.resolved.keys()) if (!assigned.has(partition)) this.resolved.delete(partition);
    });
    exit.onMember = (memberId) => this.joinedAs(memberId);
    await consumer.connect();
    await this.removePredecessor();
    void this.removeRecentlyLeft();
    await consumer.subscribe({ topics: topics.map((topic) => this.kafka.physical(topic)), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(this.config.CONSUMER_CONCURRENCY, this.config.DATABASE_POOL_SIZE - 2),
      eachBatch: (payload) => this.consumeBatch(payload),
    });
    this.log.log(`consuming ${topics.join(', ')} as group ${this.kafka.consumerGroup}`);
  }

  private get memberRecords(): ConsumerMembers {
    return (this.members ??= new ConsumerMembers(
      this.dataSource,
      this.kafka.consumerGroup,
      this.kafka.clientId,
      this.config.SERVICE_INSTANCE !== undefined,
    ));
  }

  /** Keeps the member id a consumer of this process joins with: in memory, and in the database for the next process. */
  private joinedAs(memberId: string): void {
    this.lastMember = memberId;
    void this.recordMember(memberId);
  }

  /** Writes the member id, again each second while the database is out (a join right after its restart, say), for up to a minute. */
  private recordMember(memberId: string): Promise<void> {
    return this.whileDatabaseOut(
      `could not record member id ${memberId} of group ${this.kafka.consumerGroup}, retrying`,
      () => this.lastMember === memberId,
      () => this.memberRecords.remember(memberId),
    );
  }

  /**
   * Runs `work`, again each second while it fails (the database out), for up to a minute, while `still()`
   * and the transport is open; the first failure is logged as a warning after `warning`.
   */
  private async whileDatabaseOut(warning: string, still: () => boolean, work: () => Promise<void>): Promise<void> {
    for (let attempt = 1; attempt <= 60 && still() && !this.closed; attempt++) {
      try {
        await work();
        return;
      } catch (error) {
        if (attempt === 1) this.log.warn(`${warning}: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 1000).unref());
      }
    }
  }

  /** Records that a member left the group by LeaveGroup (ADR 0094); a failure is logged, not thrown. */
  private recordLeft(memberId: string): Promise<void> {
    return this.memberRecords
      .left(memberId)
      .catch((error: Error) => this.log.warn(`could not record that member ${memberId} left: ${error.message}`));
  }

  /**
   * Takes a member this instance left behind out of the group, on connections of its own (a JoinGroup of
   * ours may be waiting on the consumer's, for this very member), asked again while the broker does not
   * answer (a restart) for up to REMOVAL_WINDOW_MS or until the transport closes. One removal per member
   * at a time.
   */
  private removeLeftBehind(memberId: string, by: 'this instance' | 'another instance'): Promise<void> {
    let running = this.removals.get(memberId);
    if (!running) {
      const { kafka, consumerGroup } = this.kafka;
      running = ConsumerExit.removeMemberApart(kafka, consumerGroup, memberId, REMOVAL_WINDOW_MS, () => this.closed)
        .then((answer) => this.removed(memberId, answer, by))
        .finally(() => this.removals.delete(memberId));
      this.removals.set(memberId, running);
    }
    return running;
  }

  private removed(memberId: string, answer: string, by: 'this instance' | 'another instance'): void {
    const group = this.kafka.consumerGroup;
    // Taken out by LeaveGroup like a member that left: a broker restart may bring it back too (ADR 0094).
    if (answer === 'left') void this.recordLeft(memberId);
    if (by === 'this instance') {
      if (answer === 'left')
        this.log.log(`removed member ${memberId}, left behind by this instance's previous consumer, from group ${group}`);
      else this.log.log(`this instance's previous member ${memberId} was not removed from group ${group}: ${answer}`);
    } else if (answer === 'left') {
      // Not there (UNKNOWN_MEMBER_ID) is the usual answer: only a member brought back is worth a line.
      this.log.log(`removed member ${memberId}, which had left group ${group} but was back after a broker restart`);
    } else if (answer !== 'UNKNOWN_MEMBER_ID')
      this.log.log(`member ${memberId}, which had left group ${group}, was not removed: ${answer}`);
  }

  /**
   * Takes out of the group the members that left it by LeaveGroup in the last RECENTLY_LEFT_MS, whoever
   * sent it (ADR 0094): the coordinator stores a group's members with each generation, not at each leave,
   * so a broker restarted between a leave and the next generation loads the member again, with a fresh
   * session, and the group waits for it. Its process is gone (a replica scaled away, a process killed and
   * replaced): no one else would remove it. Asked at each start and crash of the consumer; a member that is
   * not there costs one request. Read again each second while the database is out, for up to a minute.
   */
  private removeRecentlyLeft(): Promise<void> {
    return this.whileDatabaseOut(
      `could not read the members that left group ${this.kafka.consumerGroup}`,
      () => true,
      async () => {
        const members = await this.memberRecords.recentlyLeft(RECENTLY_LEFT_MS);
        for (const memberId of members) if (memberId !== this.lastMember) void this.removeLeftBehind(memberId, 'another instance');
      },
    );
  }

  /**
   * Before joining, takes out of the group the member this instance had before, if its consumer is gone
   * without leaving (ADR 0077): this process's consumer that crashed, or the consumer of the process
   * that ran before this one (killed, say). Otherwise the group would wait for it for a whole session,
   * and its partitions with it. The start waits for it up to PREDECESSOR_MS; a removal the broker does
   * not answer yet goes on in the background (removeLeftBehind).
   */
  private async removePredecessor(): Promise<void> {
    let memberId = this.lastMember;
    if (!memberId) {
      const found = this.memberRecords.predecessor().catch((error: Error) => {
        this.log.warn(`could not read this instance's previous member id: ${error.message}`);
        return undefined;
      });
      if (!(await settlesWithin(found, PREDECESSOR_MS))) return;
      memberId = await found;
    }
    // Removed before this consumer joins if the broker answers at once; else while it joins.
    if (memberId) await settlesWithin(this.removeLeftBehind(memberId, 'this instance'), PREDECESSOR_MS);
  }

  private async restartConsumer(crashed: Consumer, topics: string[]): Promise<void> {
    if (this.closed || this.consumer !== crashed) return;
    try {
      await crashed.disconnect().catch(() => undefined);
      await this.startConsumer(topics);
    } catch (error) {
      this.stoppedBecause = `crashed and could not restart: ${(error as Error).message}`;
      this.log.error(`consumer restart failed, trying again in 5 s: ${(error as Error).message}`);
      const failed = this.consumer;
      if (failed) setTimeout(() => void this.restartConsumer(failed, topics), 5000).unref();
    }
  }

  private async consumeBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, uncommittedOffsets }: EachBatchPayload): Promise<void> {
    const topic = this.kafka.logical(batch.topic);
    const chunkSize = this.config.CONSUMER_CHUNK_SIZE;
    this.batchesInHand++;
    try {
      for (let start = 0; start < batch.messages.length; start += chunkSize) {
        if (!isRunning() || isStale()) break;
        const chunk = toIncoming(topic, batch.partition, batch.messages, start, start + chunkSize);
        const partitionKey = `${batch.topic}/${batch.partition}`;
        if (this.inFlight.get(partitionKey)?.offset !== chunk[0].offset)
          this.inFlight.set(partitionKey, { offset: chunk[0].offset, since: Date.now() });
        // Heartbeats go on while the chunk's transaction runs: a slow member is not a dead one (ADR 0025).
        const work = keepAlive(() => this.applyMany(chunk, heartbeat), heartbeat, this.heartbeatIntervalMs);
        // Raced against the stop without a reaction left on a long-lived promise per chunk (ADR 0012).
        const ended = await this.closing.race(work).catch((error: unknown) => {
          if (error instanceof ConsumerStopping) return STOPPED;
          throw error;
        });
        if (ended === STOPPED) {
          // A graceful stop does not wait for the chunk (ADR 0014): its transaction is rolled back at the next
          // message (or, already committing, recorded in the inbox: the next owner finds it applied), its
          // offsets are not committed, and the consumer leaves its group now; the next owner gets it again.
          work.catch(() => undefined);
          this.inFlight.delete(partitionKey);
          return;
        }
        this.inFlight.delete(partitionKey);
        // Resolved only now: every message up to the chunk's last is applied (or dead-lettered) and committed in the database.
        resolveOffset(chunk[chunk.length - 1].offset);
        this.resolved.set(partitionKey, {
          topic: batch.topic,
          partition: batch.partition,
          offset: (BigInt(chunk[chunk.length - 1].offset) + 1n).toString(),
        });
        if (Date.now() - this.lastCommit >= this.config.CONSUMER_COMMIT_INTERVAL_MS) await this.commitResolved(uncommittedOffsets());
        await heartbeat();
      }
    } finally {
      this.batchesInHand--;
    }
    // Once per poll: the last partition's batch of a fetch commits what every partition resolved (ADR 0013).
    if (this.batchesInHand === 0 && !this.closed) await this.commitResolved(uncommittedOffsets());
  }

  /** Commits resolved offsets (of every partition this member holds); a lost membership makes kafkajs re-join. */
  private async commitResolved({ topics }: OffsetsByTopicPartition): Promise<void> {
    this.lastCommit = Date.now();
    // kafkajs keeps what it committed as Long and what was resolved as text, so it lists every partition again.
    const offsets: Array<{ topic: string; partition: number; offset: string }> = [];
    for (const { topic, partitions } of topics)
      for (const { partition, offset } of partitions)
        if (this.committed.get(`${topic}/${partition}`) !== offset) offsets.push({ topic, partition, offset });
    if (offsets.length === 0) return;
    await this.consumer?.commitOffsets(offsets).catch((error: unknown) => {
      throw membershipCause(error);
    });
    for (const { topic, partition, offset } of offsets) this.committed.set(`${topic}/${partition}`, offset);
  }

  /**
   * What /health reports about consuming: a consumer that stopped by itself, or a partition whose
   * messages from one offset have been in hand longer than CONSUMER_STUCK_MS (a crash loop on one
   * message, a handler that hangs). Undefined when the consumer moves.
   */
  consumerProblem(now = Date.now()): string | undefined {
    if (this.stoppedBecause) return `the consumer ${this.stoppedBecause}`;
    const stuck = [...this.inFlight]
      .filter(([, { since }]) => now - since > this.config.CONSUMER_STUCK_MS)
      .map(([partition, { offset, since }]) => `${partition}@${offset} for ${Math.round((now - since) / 1000)} s`);
    return stuck.length > 0 ? `stuck on ${stuck.join(', ')}` : undefined;
  }

  /**
   * Applies messages of one partition in order, as few database transactions as possible: the whole
   * chunk in one transaction, consecutive messages of a batch handler's types in one call of it
   * (ADR 0027). When that fails, the chunk is rolled back and applied again with every message alone,
   * which names the failing one: the chunk is rolled back, the messages before it are applied again as
   * a chunk, the failing one takes the single-message path (its first attempt counted), and the rest
   * continue as a new chunk: the retry and dead-letter rules stay exactly those of one message at a time.
   */
  async applyMany(messages: IncomingMessage[], heartbeat: () => Promise<void> = async () => undefined): Promise<void> {
    let rest: Prepared[] = [];
    for (const message of messages) rest.push(this.prepare(message));
    let batched = true;
    for (let first = true; rest.length > 0; first = false) {
      // A small chunk's first attempt goes with the chunks other partitions have in hand (CONSUMER_TRANSACTIONS);
      // a large one (a backlog) and every fallback take a transaction of their own (ADR 0031).
      const grouped = first && this.chunkGroups && rest.length * 2 < this.config.CONSUMER_CHUNK_SIZE;
      const attempt = grouped ? await this.chunkGroups.submit(rest) : await this.tryChunk(rest, batched);
      if (attempt === AGAIN) continue;
      if (attempt.ok) return;
      if (attempt.error instanceof ConsumerStopping) throw attempt.error;
      if (attempt.batched) {
        // Which message of the batch failed is not known: the chunk goes again, one message at a time.
        batched = false;
        continue;
      }
      if (attempt.failedAt < 0) {
        // Not one message's fault (the database went away, say): one at a time, with retries.
        for (const prepared of rest) await this.process(prepared.message, heartbeat);
        return;
      }
      if (attempt.failedAt > 0) {
        const before = rest.slice(0, attempt.failedAt);
        const again = await this.tryChunk(before);
        if (!again.ok && again.error instanceof ConsumerStopping) throw again.error;
        if (!again.ok) for (const prepared of before) await this.process(prepared.message, heartbeat);
      }
      await this.process(rest[attempt.failedAt].message, heartbeat, attempt.error);
      rest = rest.slice(attempt.failedAt + 1);
      batched = true;
    }
  }

  /**
   * Chunks of several partitions in one transaction, runs of one batch handler across them (a partition
   * is in one group at a time, so each keeps its order; ADR 0031). When it fails, the chunk whose message
   * failed gets the failure as if it had been alone (so the failing message's first attempt is counted
   * once, as before), and every other chunk goes again alone (AGAIN); a failure outside any message
   * sends every chunk again alone, where it shows as that chunk's own.
   */
  private async tryChunks(chunks: Prepared[][]): Promise<Array<ChunkAttempt | typeof AGAIN>> {
    if (chunks.length === 1) return [await this.tryChunk(chunks[0], true)];
    const attempt = await this.tryChunk(chunks.flat(), true);
    if (attempt.ok || attempt.error instanceof ConsumerStopping) return chunks.map(() => attempt);
    let start = 0;
    return chunks.map((chunk) => {
      const at = attempt.failedAt - start;
      start += chunk.length;
      return at >= 0 && at < chunk.length ? { ...attempt, failedAt: at } : AGAIN;
    });
  }

  /**
   * One transaction for the chunk. `batched`: runs of consecutive messages for one batch handler go to
   * it in one call; when such a call fails, the result says `batched` (the failing message is unknown).
   */
  private async tryChunk(chunk: Prepared[], batched = false): Promise<ChunkAttempt> {
    // Stopping: a chunk that waited for its group's turn is not started.
    if (this.closed) return { ok: false, batched: false, failedAt: -1, error: new ConsumerStopping() };
    let failedAt = -1;
    let inBatch = false;
    try {
      const outcomes = await this.dataSource.transaction('READ COMMITTED', async (manager) => {
        // One statement records the whole chunk in the inbox; what it did not insert was applied before.
        const fresh = await this.recordInInbox(manager, chunk);
        const done: [string, Outcome][] = [];
        for (let index = 0; index < chunk.length;) {
          // A graceful stop does not wait for the rest of the chunk: it is rolled back and delivered again.
          if (this.closed) throw new ConsumerStopping();
          const key = batched ? this.batchKey(chunk[index]) : undefined;
          let end = index + 1;
          if (key !== undefined) while (end < chunk.length && this.batchKey(chunk[end]) === key) end++;
          try {
            if (end - index > 1) {
              inBatch = true;
              done.push(...(await this.applyBatch(manager, chunk.slice(index, end), fresh)));
              inBatch = false;
            } else done.push([chunk[index].envelope?.type ?? 'unparsed', await this.applyPrepared(manager, chunk[index], fresh)]);
          } catch (error) {
            failedAt = index;
            throw error;
          }
          index = end;
        }
        if (this.closed) throw new ConsumerStopping();
        return done;
      });
      for (const [type, outcome] of outcomes) this.outcomes.inc({ type, outcome });
      return { ok: true };
    } catch (error) {
      return { ok: false, batched: inBatch, failedAt, error };
    }
  }

  /**
   * The batch handler a prepared message goes to with its neighbours (the key that groups them), or
   * undefined when it is applied alone: no batch handler for its type, or an ANY_EVENT handler that
   * takes one event at a time.
   */
  private batchKey(prepared: Prepared): string | undefined {
    const type = prepared.envelope?.type;
    if (prepared.failure || type === undefined) return undefined;
    const handler = this.getHandlerByPattern(type);
    const anyHandler = this.anyHandlerFor(prepared.message.topic);
    const anyKey = anyHandler ? batchKeyOf(anyHandler) : undefined;
    if (anyHandler && anyKey === undefined) return undefined;
    if (!handler) return anyKey === undefined ? undefined : `*${anyKey}`;
    const key = batchKeyOf(handler);
    return key === undefined ? undefined : `${key}*${anyKey ?? ''}`;
  }

  /**
   * Inside the chunk's transaction: consecutive messages of one batch handler (all of one topic and
   * partition), duplicates dropped, in one call of the handler and one of the ANY_EVENT handler.
   */
  private async applyBatch(manager: EntityManager, run: Prepared[], fresh: Set<string>): Promise<[string, Outcome][]> {
    const outcomes: [string, Outcome][] = [];
    const items: InboxItem[] = [];
    for (const { envelope, payload } of run) {
      if (!envelope) throw new Error('a prepared message without failure has an envelope');
      const isNew = fresh.delete(envelope.id);
      outcomes.push([envelope.type, isNew ? 'applied' : 'duplicate']);
      if (isNew) items.push({ payload, context: new InboxContext([envelope, manager, this.outbox]) });
    }
    if (items.length === 0) return outcomes;
    const started = process.hrtime.bigint();
    const batch = new InboxBatch([manager, this.outbox]);
    const handler = this.getHandlerByPattern(items[0].context.envelope.type);
    const anyHandler = this.anyHandlerFor(run[0].message.topic);
    if (handler) await this.invoke(handler, items, batch);
    if (anyHandler) await this.invoke(anyHandler, items, batch);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 / items.length;
    for (const item of items) this.handling.observe({ type: item.context.envelope.type }, seconds);
    this.log.debug(`applied ${items.length} events in one batch from ${run[0].message.topic}/${run[0].message.partition}`);
    return outcomes;
  }

  /**
   * Applies one message with bounded retries; never throws (what cannot be applied is dead-lettered).
   * `firstFailure`: the message already failed once (in a chunk); that counts as attempt 1.
   */
  async process(
    message: IncomingMessage,
    heartbeat: () => Promise<void> = async () => undefined,
    firstFailure?: unknown,
  ): Promise<Outcome> {
    const maxAttempts = this.config.CONSUMER_MAX_ATTEMPTS;
    const where = `${message.topic}/${message.partition}@${message.offset}`;
    let pending = firstFailure;
    let pauses = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        if (pending !== undefined) throw pending;
        if (this.closed) throw new ConsumerStopping();
        return await this.apply(message);
      } catch (error) {
        pending = undefined;
        // Stopping: the message is left uncommitted for the next owner, not retried nor dead-lettered here.
        if (error instanceof ConsumerStopping) throw error;
        // An outage (database down, starting, shutting down; a lost serialization race) is no attempt.
        if (await this.outages.waitIfTransient(error, pauses++, where, heartbeat)) {
          attempt--;
          continue;
        }
        const unstorable = unstorableDataError(error);
        const permanent =
          error instanceof PermanentFailure
            ? error
            : error instanceof DomainError
              ? new PermanentFailure('failed', `${error.code}: ${error.message}`)
              : unstorable
                ? new PermanentFailure('invalid', unstorable)
                : undefined;
        if (permanent || attempt >= maxAttempts) {
          const reason = permanent ? permanent.message : `failed after ${attempt} attempts: ${(error as Error).message}`;
          for (let writes = 0; ; writes++) {
            try {
              await this.deadLetter(message, permanent?.kind ?? 'failed', reason, attempt, permanent?.envelope ?? this.envelopeOf(message));
              return 'dead-lettered';
            } catch (writeError) {
              if (!(await this.outages.waitIfTransient(writeError, writes, where, heartbeat))) throw writeError;
            }
          }
        }
        const delay = this.config.CONSUMER_BACKOFF_MS * 2 ** (attempt - 1);
        this.log.warn(`attempt ${attempt}/${maxAttempts} at ${where} failed, retrying in ${delay} ms: ${(error as Error).message}`);
        await this.outages.backoff(delay);
        await heartbeat().catch(() => undefined);
      }
    }
  }

  /** Parses, validates and applies a message once, in its own transaction; throws PermanentFailure for what no retry can fix. */
  async apply(message: IncomingMessage): Promise<Outcome> {
    const prepared = this.prepare(message);
    if (prepared.failure) throw prepared.failure;
    const outcome = await this.dataSource.transaction('READ COMMITTED', (manager) => this.applyPrepared(manager, prepared));
    this.outcomes.inc({ type: prepared.envelope?.type ?? 'unparsed', outcome });
    return outcome;
  }

  /**
   * The envelope of a message that parsed but could not be applied (its handler kept failing): the dead
   * letter then names its event id and type, as it does for a message refused at validation.
   */
  private envelopeOf(message: IncomingMessage): Envelope | undefined {
    try {
      return this.prepare(message).envelope;
    } catch {
      return undefined;
    }
  }

  /** Parses and validates, without I/O. What no retry can fix comes back as `failure`. */
  private prepare(message: IncomingMessage): Prepared {
    const bytesProblem = utf8Problem(message.keyBytes ?? null, 'key') ?? utf8Problem(message.value, 'value');
    if (bytesProblem) return { message, failure: new PermanentFailure('invalid', bytesProblem) };
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(message.value);
    } catch (error) {
      if (error instanceof EnvelopeError) return { message, failure: new PermanentFailure('invalid', error.message) };
      throw error;
    }
    const fail = (kind: PermanentFailure['kind'], reason: string): Prepared => ({
      message,
      envelope,
      failure: new PermanentFailure(kind, reason, envelope),
    });
    // parseEnvelope has refused a message without a value; the envelope is the value's JSON, as parsed.
    const nul = jsonNulPath(message.value as Buffer, envelope);
    if (nul) return fail('invalid', `${nul}: contains U+0000 (NUL), which PostgreSQL cannot store`);
    for (const attribute of ['id', 'type', 'correlationid', 'causationid'] as const) {
      const value = envelope[attribute];
      if (typeof value === 'string' && value.length > MAX_ATTRIBUTE_LENGTH)
        return fail('invalid', `${attribute}: longer than ${MAX_ATTRIBUTE_LENGTH} characters`);
    }
    const eventClass = eventClassOf(envelope.type);
    if (!eventClass) return fail('unknown-type', `unknown event type '${envelope.type}'`);
    if (eventClass.topic !== message.topic)
      return fail('invalid', `event type '${envelope.type}' does not belong on topic ${message.topic}`);
    if (message.key !== null && message.key !== envelope.subject)
      return fail('invalid', `message key '${message.key}' is not the subject '${envelope.subject}'`);
    const { payload, problems } = checkedPayload(eventClass, envelope.data);
    if (problems.length > 0) return fail('invalid', `invalid ${envelope.type}: ${problems.join('; ')}`);
    return { message, envelope, payload };
  }

  /** Whether this service has a handler for a prepared message or keeps it (else it is ignored, and no inbox row is kept). */
  private handles(prepared: Prepared): boolean {
    const type = prepared.envelope?.type;
    return (
      !prepared.failure &&
      type !== undefined &&
      (this.getHandlerByPattern(type) !== null ||
        this.anyHandlerFor(prepared.message.topic) !== null ||
        this.keptByKeeper(prepared.message.topic))
    );
  }

  /** The ANY_EVENT handler, unless this topic's events were recorded when this service wrote them. */
  private anyHandlerFor(topic: string) {
    return this.outbox.recordedAtWrite(topic) ? null : this.getHandlerByPattern(ANY_EVENT);
  }

  /**
   * Inside the caller's transaction: the inbox rows of every message of `chunk` this service handles,
   * in one multi-row INSERT … ON CONFLICT DO NOTHING RETURNING. Returns the ids it inserted: those
   * events are new; the others were applied before (a redelivery). An id twice in one chunk is inserted
   * once, and applied once (`applyPrepared` takes it out of the set).
   */
  private async recordInInbox(manager: EntityManager, chunk: Prepared[]): Promise<Set<string>> {
    // Loops, not per-call callbacks: a closure made per call loses its optimized code at each major
    // collection, and this runs for every chunk (ADR 0118).
    const kept: Envelope[] = [];
    const rows: InboxRows = { ids: [], types: [], topics: [], partitions: [], offsets: [], correlationIds: [] };
    for (const prepared of chunk) {
      if (!this.handles(prepared)) continue;
      const { message } = prepared;
      const envelope = prepared.envelope!;
      if (this.keptByKeeper(message.topic)) {
        kept.push(envelope);
        continue;
      }
      rows.ids.push(envelope.id);
      rows.types.push(envelope.type);
      rows.topics.push(message.topic);
      rows.partitions.push(message.partition);
      rows.offsets.push(message.offset);
      rows.correlationIds.push(envelope.correlationid ?? null);
    }
    const fresh = new Set(kept.length > 0 ? await this.keeper!(manager, kept) : []);
    if (rows.ids.length === 0) return fresh;
    const inserted: Array<{ event_id: string }> = await manager.query(
      `INSERT INTO inbox (event_id, event_type, topic, partition, "offset", correlation_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[])
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [rows.ids, rows.types, rows.topics, rows.partitions, rows.offsets, rows.correlationIds],
    );
    for (const row of inserted) fresh.add(row.event_id);
    return fresh;
  }

  /**
   * Inside the caller's transaction: a message that cannot be applied is dead-lettered; one for no
   * handler here is ignored; otherwise the inbox row and the handlers' effects are written. `fresh`:
   * the ids whose inbox rows this transaction already inserted (a chunk's); without it, the row is
   * inserted here.
   */
  private async applyPrepared(manager: EntityManager, prepared: Prepared, fresh?: Set<string>): Promise<Outcome> {
    const { message, envelope, failure } = prepared;
    if (failure) {
      await this.recordDeadLetter(manager, message, {
        kind: failure.kind,
        reason: failure.message,
        attempts: 1,
        envelope: failure.envelope,
      });
      return 'dead-lettered';
    }
    if (!envelope) throw new Error('a prepared message without failure has an envelope');
    const handler = this.getHandlerByPattern(envelope.type);
    const anyHandler = this.anyHandlerFor(message.topic);
    const kept = this.keptByKeeper(message.topic);
    if (!handler && !anyHandler && !kept) return 'ignored';
    const stopTimer = this.handling.startTimer({ type: envelope.type });
    const outcome = await workContext.run({ correlationId: envelope.correlationid, eventId: envelope.id }, async () => {
      if (fresh) {
        if (!fresh.delete(envelope.id)) return 'duplicate' as const;
      } else if (kept) {
        if ((await this.keeper!(manager, [envelope])).length === 0) return 'duplicate' as const;
      } else {
        const inserted: unknown[] = await manager.query(
          `INSERT INTO inbox (event_id, event_type, topic, partition, "offset", correlation_id)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
          [envelope.id, envelope.type, message.topic, message.partition, message.offset, envelope.correlationid],
        );
        if (inserted.length === 0) return 'duplicate' as const;
      }
      const context = new InboxContext([envelope, manager, this.outbox]);
      const alone = (handle: typeof handler) =>
        batchKeyOf(handle!) === undefined
          ? this.invoke(handle!, prepared.payload, context)
          : this.invoke(handle!, [{ payload: prepared.payload, context }], new InboxBatch([manager, this.outbox]));
      if (handler) await alone(handler);
      if (anyHandler) await alone(anyHandler);
      this.log.debug(`applied ${envelope.type} ${envelope.id} from ${message.topic}/${message.partition}@${message.offset}`);
      return 'applied' as const;
    });
    stopTimer();
    return outcome;
  }

  private async invoke(
    handler: (data: unknown, context: InboxContext | InboxBatch) => unknown,
    payload: unknown,
    context: InboxContext | InboxBatch,
  ): Promise<void> {
    const result = await handler(payload, context);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }

  private async deadLetter(
    message: IncomingMessage,
    kind: DeadLetterFacts['kind'],
    reason: string,
    attempts: number,
    envelope?: Envelope,
  ): Promise<void> {
    await this.dataSource.transaction((manager: EntityManager) =>
      this.recordDeadLetter(manager, message, { kind, reason, attempts, envelope }),
    );
    this.outcomes.inc({ type: envelope?.type ?? 'unparsed', outcome: 'dead-lettered' });
  }

  /** Inside the caller's transaction: the one place a message becomes a dead letter. */
  private async recordDeadLetter(manager: EntityManager, message: IncomingMessage, facts: DeadLetterFacts): Promise<void> {
    this.log.error(`dead-lettering ${message.topic}/${message.partition}@${message.offset}: ${facts.reason}`);
    await this.deadLetters.record(manager, message, facts);
  }

  /**
   * Nest's onModuleDestroy (after `stopInbox`, or alone for an app closed in process): leaves the group
   * if close() has not, then waits, at most CONSUMER_FINISH_MS, for kafkajs's own stop to end and closes
   * whatever connection it still holds.
   */
  async onModuleDestroy(): Promise<void> {
    await this.close();
    await this.exit?.close(CONSUMER_FINISH_MS);
    this.exit = undefined;
    this.consumer = undefined;
  }

  /**
   * Stops consuming and leaves the group, at once (ADR 0014, 0017): the first step of a graceful stop
   * (`stopInbox`). Messages in hand are abandoned uncommitted; the offsets already applied are committed
   * first (unless the consumer is joining its group: the commit would be refused), so the next owner
   * does not get them again. kafkajs's own stop is given CONSUMER_LEAVE_GRACE_MS, none while it joins
   * (it would wait for the join) or after a crash; if it waits on something longer (a join, a retry's
   * backoff, a restart after a crash), it is cut short and LeaveGroup sent on new connections.
   */
  close(): Promise<void> {
    this.leaving ??= this.leave();
    return this.leaving;
  }

  private async leave(): Promise<void> {
    this.closed = true;
    this.closing.stop();
    this.outages.stop();
    const exit = this.exit;
    if (!exit) return;
    if (this.resolved.size > 0 && !this.joining) {
      const topics = [...new Set([...this.resolved.values()].map(({ topic }) => topic))].map((topic) => ({
        topic,
        partitions: [...this.resolved.values()]
          .filter((entry) => entry.topic === topic)
          .map(({ partition, offset }) => ({ partition, offset })),
      }));
      await settlesWithin(
        Promise.resolve().then(() => this.commitResolved({ topics })),
        CONSUMER_LEAVE_GRACE_MS,
      );
    }
    const grace = this.joining || this.stoppedBecause ? 0 : CONSUMER_LEAVE_GRACE_MS;
    await exit.leave(grace, CONSUMER_LEAVE_MS);
    // Recorded, so that the other instances take it out again if a broker restart brings it back (ADR 0094).
    const member = this.lastMember;
    if (member) await settlesWithin(this.recordLeft(member), LEFT_RECORD_MS);
    if (exit.forced) {
      const why = this.joining
        ? 'it was joining its group'
        : this.stoppedBecause
          ? `it ${this.stoppedBecause}`
          : `not stopped within ${grace} ms`;
      this.log.warn(`the consumer's stop was cut short (${why}); it left its group`);
    }
  }

  on(): void {
    throw new Error('InboxTransport does not emit transport events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}

/**
 * A manual commit that fails because the group moved on (this member was dropped or a rebalance
 * began) comes wrapped as non-retriable, which would crash the consumer for good; its cause, thrown
 * instead, makes kafkajs re-join the group, and the uncommitted messages come again to the inbox.
 */
function membershipCause(error: unknown): unknown {
  let root = error as { cause?: unknown; type?: string };
  while (root.cause) root = root.cause;
  const rejoin = ['UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'NOT_COORDINATOR_FOR_GROUP'];
  return root.type && rejoin.includes(root.type) ? root : error;
}

/** The batch key of a handler declared with `@InboxBatchPattern`, else undefined. */
function batchKeyOf(handler: { extras?: Record<string, unknown> }): string | undefined {
  const key = handler.extras?.[INBOX_BATCH];
  return typeof key === 'string' ? key : undefined;
}

/** The messages of a batch from `start` to before `end`, as the inbox handles them (a loop: ADR 0118). */
function toIncoming(topic: string, partition: number, messages: KafkaMessage[], start: number, end: number): IncomingMessage[] {
  const incoming: IncomingMessage[] = [];
  const last = Math.min(end, messages.length);
  for (let i = start; i < last; i++) {
    const message = messages[i];
    incoming.push({
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      keyBytes: message.key,
      value: message.value,
    });
  }
  return incoming;
}

/** The inbox rows of a chunk, column by column (the INSERT's unnest parameters). */
interface InboxRows {
  ids: string[];
  types: string[];
  topics: string[];
  partitions: number[];
  offsets: string[];
  correlationIds: Array<string | null>;
}
