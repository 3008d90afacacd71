import { Consumer, ConsumerConfig, Kafka, KafkaJSConnectionError, KafkaJSNonRetriableError } from 'kafkajs';

/**
 * The parts of kafkajs 2.2.4's consumer client that a prompt exit needs (ADR 0017). kafkajs keeps them
 * private: `Kafka` builds each client's cluster with its own `createCluster` (an instance property under
 * a symbol), and the cluster holds the broker connections. A test of this module fails if an upgrade
 * moves them (ConsumerExit.create throws).
 */
interface InternalConnection {
  rejectRequests(error: Error): void;
}
export interface InternalBroker {
  connectionPool?: { pool: InternalConnection[] };
  disconnect(): Promise<void>;
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
  joinGroup(request: { groupId: string; memberId?: string }): Promise<{ memberId: string }>;
  /** Builds requests of the version the broker speaks; reassigned by kafkajs at each connect. */
  lookupRequest?: (apiKey: number, definition: unknown) => (request: { memberId?: string }) => unknown;
}
/** Kafka's JoinGroup API key. */
const JOIN_GROUP = 11;
export interface InternalCluster {
  brokerPool: { seedBroker?: InternalBroker; brokers: Record<string, InternalBroker> };
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<InternalBroker>;
}
type CreateCluster = (options: object) => InternalCluster;

/**
 * Tells `record` the member id of each JoinGroup the consumer sends through `cluster` (a re-join's own,
 * and the id each answer gives) as soon as the coordinator has it, not when kafkajs announces the join
 * (GROUP_JOIN comes only after the SyncGroup too). A stop between the two would otherwise send no
 * LeaveGroup, and the member, already in the group, would keep its partitions for its whole session.
 */
export function recordJoins(cluster: InternalCluster, record: (memberId: string) => void): void {
  const watched = new WeakSet<InternalBroker>();
  const find = cluster.findGroupCoordinator.bind(cluster);
  cluster.findGroupCoordinator = async (request) => {
    const coordinator = await find(request);
    if (!watched.has(coordinator)) {
      watched.add(coordinator);
      const join = coordinator.joinGroup.bind(coordinator);
      coordinator.joinGroup = async (joining) => {
        if (joining.memberId) record(joining.memberId);
        // A new member's first JoinGroup is answered MEMBER_ID_REQUIRED with its id, and kafkajs sends
        // the second inside this call, which then waits for the whole rebalance: the id is taken from the
        // second request as it is built. kafkajs looks the request builder up synchronously at the start
        // of joinGroup, so the wrapped lookup is in place for this call only.
        const lookup = coordinator.lookupRequest;
        if (lookup)
          coordinator.lookupRequest = (apiKey, definition) => {
            const build = lookup.call(coordinator, apiKey, definition);
            if (apiKey !== JOIN_GROUP) return build;
            return (request) => {
              if (request.memberId) record(request.memberId);
              return build(request);
            };
          };
        let pending: Promise<{ memberId: string }>;
        try {
          pending = join(joining);
        } finally {
          if (lookup) coordinator.lookupRequest = lookup;
        }
        const joined = await pending;
        if (joined?.memberId) record(joined.memberId);
        return joined;
      };
    }
    return coordinator;
  };
}

/** Settles with whether `promise` settled within `ms` (its rejection counts as settled). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A kafkajs consumer that can leave its group without waiting on kafkajs.
 *
 * `consumer.disconnect()` waits for whatever the consumer is doing: a JoinGroup in progress (which the
 * broker answers only when every member has joined again, or a dead one's session has expired), a
 * retry's backoff after broker errors, a consumer being restarted after a crash. Until then the member
 * stays in the group and the broker waits for it too. `leave()` gives kafkajs `graceMs` to stop as usual;
 * if it has not, it stops kafkajs from joining again, fails the requests it waits on and closes its
 * sockets (the broker answers requests on one connection in order, so a LeaveGroup behind a pending
 * JoinGroup would wait as long), and sends LeaveGroup itself on new connections. `close()` then gives
 * kafkajs's own stop a bounded time to end and closes whatever it still holds open.
 */
export class ConsumerExit {
  private member?: string;
  private stopped?: Promise<void>;
  /** Whether the last leave() had to cut kafkajs short. */
  forced = false;
  /** Called with each member id the consumer joins with, as soon as the coordinator has it. */
  onMember?: (memberId: string) => void;

  private constructor(
    readonly consumer: Consumer,
    private readonly cluster: InternalCluster,
    private readonly groupId: string,
  ) {
    recordJoins(cluster, (memberId) => this.joined(memberId));
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.joined(payload.memberId));
  }

  /** The member id the consumer last joined with. */
  get memberId(): string | undefined {
    return this.member;
  }

  private joined(memberId: string): void {
    if (memberId === this.member) return;
    this.member = memberId;
    this.onMember?.(memberId);
  }

  /** `kafka.consumer(config)`, with a handle on the cluster kafkajs builds for it. */
  static create(kafka: Kafka, config: ConsumerConfig): ConsumerExit {
    const internals = kafka as unknown as Record<symbol, CreateCluster | undefined>;
    const key = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === 'private:Kafka:createCluster');
    const createCluster = key && internals[key];
    if (!key || typeof createCluster !== 'function') throw new Error('kafkajs no longer builds its clusters as ConsumerExit expects');
    let cluster: InternalCluster | undefined;
    internals[key] = (options) => (cluster = createCluster(options));
    try {
      const consumer = kafka.consumer(config);
      if (!cluster?.brokerPool || typeof cluster.findGroupCoordinator !== 'function')
        throw new Error('kafkajs no longer builds its clusters as ConsumerExit expects');
      return new ConsumerExit(consumer, cluster, config.groupId);
    } finally {
      internals[key] = createCluster;
    }
  }

  /**
   * Stops consuming and leaves the group: kafkajs's own stop if it ends within `graceMs`, else cut short
   * as above, with `leaveMs` for the LeaveGroup. Resolves once the broker has the LeaveGroup (or the
   * time is up: a broker that does not answer drops the member at its session's end).
   */
  async leave(graceMs: number, leaveMs: number): Promise<void> {
    this.stopped ??= this.consumer.disconnect().catch(() => undefined);
    if (await settlesWithin(this.stopped, graceMs)) return;
    this.forced = true;
    // No joining again: kafkajs re-joins after an UNKNOWN_MEMBER_ID (the answer to a JoinGroup whose
    // member has left) and when a restart after a crash comes due; both look the coordinator up first.
    this.cluster.findGroupCoordinator = () =>
      Promise.reject(new KafkaJSNonRetriableError('the consumer is stopping: it does not join its group again'));
    await this.dropConnections();
    const memberId = this.member;
    if (!memberId) return;
    const brokers = Object.values(this.cluster.brokerPool.brokers);
    // The coordinator takes it; the other brokers answer NOT_COORDINATOR. One request each, no retries.
    await settlesWithin(Promise.allSettled(brokers.map((broker) => broker.leaveGroup({ groupId: this.groupId, memberId }))), leaveMs);
  }

  /**
   * Takes another member out of this group: a member of a process that died without leaving, or of a
   * consumer that crashed (ADR 0077), which the group would otherwise wait for until its session expires.
   * Sent on this exit's own connections: use an exit whose consumer is not running (`removeMemberApart`),
   * as the broker answers one connection's requests in order and a LeaveGroup behind a JoinGroup waiting
   * in a rebalance would wait as long. Resolves with what the coordinator said (`left`, or why not: a
   * member already gone is UNKNOWN_MEMBER_ID), or `no answer` when it did not answer within `ms`.
   * A broker that is down or still loading its groups after a restart is asked again until `ms` is up
   * or `stopped()` says so.
   */
  async removeMember(memberId: string, ms: number, stopped: () => boolean = () => false): Promise<string> {
    const deadline = Date.now() + ms;
    let answer = 'no answer';
    while (Date.now() < deadline && !stopped()) {
      const asked = (async () => {
        await this.cluster.connect();
        const coordinator = await this.cluster.findGroupCoordinator({ groupId: this.groupId });
        await coordinator.leaveGroup({ groupId: this.groupId, memberId });
        answer = 'left';
      })().catch((error: { type?: string; message?: string }) => {
        answer = error.type ?? error.message ?? String(error);
      });
      if (!(await settlesWithin(asked, deadline - Date.now()))) return 'no answer';
      if (answer === 'left' || answer === 'UNKNOWN_MEMBER_ID') return answer;
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, Math.max(0, deadline - Date.now()))));
    }
    return answer;
  }

  /**
   * `removeMember` on connections of its own (a cluster kafkajs builds for a consumer that never runs),
   * closed afterwards.
   */
  static async removeMemberApart(kafka: Kafka, groupId: string, memberId: string, ms: number, stopped?: () => boolean): Promise<string> {
    const remover = ConsumerExit.create(kafka, { groupId });
    try {
      return await remover.removeMember(memberId, ms, stopped);
    } finally {
      await remover.cluster.disconnect().catch(() => undefined);
    }
  }

  /** After leave(): kafkajs's own stop is given `waitMs` more, then every connection it holds is closed. */
  async close(waitMs: number): Promise<void> {
    if (!this.stopped) return;
    if (!(await settlesWithin(this.stopped, waitMs))) this.forced = true;
    if (this.forced) {
      await this.dropConnections();
      await this.cluster.disconnect().catch(() => undefined);
    }
  }

  /** Fails the requests kafkajs waits on (a JoinGroup, say) and closes the sockets they were sent on. */
  private async dropConnections(): Promise<void> {
    const { seedBroker, brokers } = this.cluster.brokerPool;
    const all = [...(seedBroker ? [seedBroker] : []), ...Object.values(brokers)];
    const stopping = new KafkaJSConnectionError('the consumer is stopping');
    for (const broker of all) for (const connection of broker.connectionPool?.pool ?? []) connection.rejectRequests(stopping);
    await Promise.all(all.map((broker) => broker.disconnect().catch(() => undefined)));
  }
}
