/** What `StopSignal.race` answers when the stop came first. */
export const STOPPED = Symbol('stopped');

/**
 * A stop that work in flight can be raced against, many times over a long life, without keeping
 * anything of the work once it settles.
 *
 * `Promise.race([work, whenStopped])` against one long-lived promise adds a reaction to that promise on
 * every call, and a reaction lives until the promise settles: with a stop that comes once at shutdown,
 * each call kept its closure, and with it whatever the caller's scope held. In the inbox that was every
 * consumed batch (kafkajs's messages and the fetch buffers they are slices of): approval's memory
 * outside the heap grew with every message it consumed (ADR 0012). Here each race registers a waiter
 * that is removed as soon as its work settles.
 */
export class StopSignal {
  private stopped = false;
  private readonly waiters = new Set<() => void>();

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Races waiting now (for a test: 0 when no work is in flight). */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Ends every race in flight with STOPPED; races begun from now on end at once, until `reset()`. */
  stop(): void {
    this.stopped = true;
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }

  /** Armed again (a consumer that listens again after a stop). */
  reset(): void {
    this.stopped = false;
  }

  /**
   * `work`'s result, or STOPPED if `stop()` comes first (the work goes on; its failure is then
   * swallowed, the caller abandons it). `work`'s failure before a stop is this promise's failure.
   */
  race<T>(work: Promise<T>): Promise<T | typeof STOPPED> {
    if (this.stopped) {
      work.catch(() => undefined);
      return Promise.resolve(STOPPED);
    }
    return new Promise<T | typeof STOPPED>((resolve, reject) => {
      const waiter = () => resolve(STOPPED);
      this.waiters.add(waiter);
      work.then(resolve, reject).finally(() => this.waiters.delete(waiter));
    });
  }
}
