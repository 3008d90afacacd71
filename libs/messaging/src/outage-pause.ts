import { Logger } from '@nestjs/common';
import { transientError } from '@backbone/platform';

/** The consumer is stopping while a message waits for a dependency: leave it uncommitted for the next owner. */
export class ConsumerStopping extends Error {
  constructor() {
    super('the consumer is stopping; the message is left uncommitted and will be delivered again');
  }
}

/** A heartbeat error that means this member no longer owns its partitions: give the batch up. */
function lostOwnership(error: unknown): boolean {
  const type = (error as { type?: unknown }).type;
  return (
    type === 'REBALANCE_IN_PROGRESS' ||
    type === 'NOT_COORDINATOR_FOR_GROUP' ||
    type === 'ILLEGAL_GENERATION' ||
    type === 'UNKNOWN_MEMBER_ID'
  );
}

/**
 * Outages are not failures. When applying a message fails because a dependency is down (connection
 * refused or lost, the database starting up or shutting down) or lost a race (serialization failure,
 * deadlock), the message is not at fault: the inbox waits here and tries again without counting an
 * attempt, so an outage never turns valid work into a dead letter. Only the handler's own failures
 * count towards CONSUMER_MAX_ATTEMPTS.
 *
 * While it waits it keeps the consumer's group membership alive (heartbeats); if the group takes the
 * partition away, or the service stops, the batch is given up uncommitted and delivered again.
 */
export class OutagePause {
  private readonly log = new Logger('Inbox');
  private stopping = false;
  /** The pauses under way: a stop ends them at once (the consumer leaves its group without waiting them out). */
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly firstDelayMs = 100,
    private readonly maxDelayMs = 5000,
  ) {}

  /** Called when the consumer stops: waiting messages give up (uncommitted) instead of waiting forever. */
  stop(): void {
    this.stopping = true;
    for (const wake of this.sleepers) wake();
  }

  /** Called when a consumer starts again. */
  resume(): void {
    this.stopping = false;
  }

  /**
   * Waits `ms` (a retry's backoff); a stop ends the wait at once with ConsumerStopping, so that the
   * consumer leaves its group without waiting for the retry (the message stays uncommitted).
   */
  async backoff(ms: number): Promise<void> {
    if (this.stopping) throw new ConsumerStopping();
    await this.sleep(ms);
    if (this.stopping) throw new ConsumerStopping();
  }

  /**
   * If `error` is transient: waits (growing with `pauses`, the number of times this message already
   * waited), heartbeats, and returns true: try again, this was no attempt. Returns false for the
   * work's own failures.
   */
  async waitIfTransient(error: unknown, pauses: number, where: string, heartbeat: () => Promise<void>): Promise<boolean> {
    const transient = transientError(error);
    if (!transient) return false;
    if (this.stopping) throw new ConsumerStopping();
    const delay = Math.min(this.maxDelayMs, this.firstDelayMs * 2 ** Math.min(pauses, 16));
    if (pauses === 0 || pauses % 10 === 0)
      this.log.warn(
        `${transient.dependency} ${transient.kind} at ${where} (${transient.reason}); waiting ${delay} ms, not counted as an attempt`,
      );
    await this.sleep(delay);
    if (this.stopping) throw new ConsumerStopping();
    try {
      await heartbeat();
    } catch (heartbeatError) {
      if (lostOwnership(heartbeatError)) throw heartbeatError; // kafkajs re-joins the group; the batch is redelivered
      // Kafka itself may be down too: keep waiting for the database, the heartbeat comes later.
    }
    if (this.stopping) throw new ConsumerStopping();
    return true;
  }

  /** A wait that stop() ends at once. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
