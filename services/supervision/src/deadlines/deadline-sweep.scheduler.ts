import { Inject, Injectable } from '@nestjs/common';
import { PeriodicJob } from '@backbone/platform';
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
export class DeadlineSweepScheduler extends PeriodicJob {
  constructor(
    private readonly sweep: RunDeadlineSweepService,
    private readonly reconcile: ReconcileService,
    private readonly warnings: LiftRiskWarningService,
    @Inject(SupervisionConfig) private readonly config: SupervisionConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.DEADLINE_SWEEP_INTERVAL_MS;
  }

  protected async tick(now: Date): Promise<void> {
    const expired = await this.warnings.expire(now);
    if (expired.length > 0) this.logger.log({ expired }, 'risk warnings expired');
    const result = await this.sweep.sweep(now);
    const effects = result.reminded.length + result.escalated.length + result.unlicensedClues.length + result.escalatedVerifications.length;
    if (effects > 0) this.logger.log(result, 'deadline sweep');
    await this.reconcile.measure();
  }
}
