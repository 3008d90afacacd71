import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ReconcileService } from '../reconciliation/reconcile/reconcile.service';
import { LiftRiskWarningService } from '../risk-warnings/lift-risk-warning/lift-risk-warning.service';
import { SupervisionConfig } from '../supervision.config';
import { RunDeadlineSweepService } from './run-deadline-sweep/run-deadline-sweep.service';

/**
 * Every DEADLINE_SWEEP_INTERVAL_MS (0: never; the admin endpoints still work): expires the risk warnings past
 * their end (before the sweep, so an expired warning tightens nothing more), runs the deadline sweep, then the
 * reconciliation.
 */
@Injectable()
export class DeadlineSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadlineSweepScheduler.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly sweep: RunDeadlineSweepService,
    private readonly reconcile: ReconcileService,
    private readonly warnings: LiftRiskWarningService,
    @Inject(SupervisionConfig) private readonly config: SupervisionConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.DEADLINE_SWEEP_INTERVAL_MS <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.DEADLINE_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const expired = await this.warnings.expire(new Date());
      if (expired.length > 0) this.logger.log({ expired }, 'risk warnings expired');
      const result = await this.sweep.sweep(new Date());
      const effects =
        result.reminded.length + result.escalated.length + result.unlicensedClues.length + result.escalatedVerifications.length;
      if (effects > 0) this.logger.log(result, 'deadline sweep');
      await this.reconcile.measure();
    } catch (error) {
      this.logger.error({ err: error }, 'deadline sweep failed; the next one retries');
    } finally {
      this.running = false;
    }
  }
}
