import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * A job a service runs on a timer: the deadline sweeps, the credit refresh, the licence sweep, retention.
 * The interval comes from the service's configuration; 0 or less means never (the admin endpoints still run
 * the job on demand). Ticks never overlap: one that finds the previous still running is skipped. A failed tick
 * is logged and the next retries; every job is written so that running it again is harmless (rows claimed
 * with SKIP LOCKED, effects recorded once), which is also what lets replicas run it at the same time.
 * Shutdown stops the timer and waits for a running tick, so its transaction is not cut short.
 */
export abstract class PeriodicJob implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  /** Milliseconds between ticks; 0 or less: never. */
  protected abstract intervalMs(): number;

  /** One tick's work; logs what it changed (nothing when it changed nothing). */
  protected abstract tick(now: Date): Promise<void>;

  onApplicationBootstrap(): void {
    const interval = this.intervalMs();
    if (interval <= 0) return;
    this.timer = setInterval(() => void this.runTick(), interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs a tick now unless one is running; resolves when it has ended (a failure is logged, not thrown). */
  runTick(now: Date = new Date()): Promise<void> {
    this.running ??= this.tick(now)
      .catch((error: unknown) => this.logger.error({ err: error }, `${this.constructor.name} failed; the next tick retries`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
