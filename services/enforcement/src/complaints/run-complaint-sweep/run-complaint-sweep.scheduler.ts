import { Injectable } from '@nestjs/common';
import { PeriodicJob } from '@backbone/platform';
import { EnforcementConfig } from '../../enforcement.config';
import { RunComplaintSweepService } from './run-complaint-sweep.service';

/** Runs the complaint sweep every COMPLAINT_SWEEP_INTERVAL_MS (0: never). */
@Injectable()
export class RunComplaintSweepScheduler extends PeriodicJob {
  constructor(
    private readonly sweep: RunComplaintSweepService,
    private readonly config: EnforcementConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.COMPLAINT_SWEEP_INTERVAL_MS;
  }

  protected async tick(now: Date): Promise<void> {
    const result = await this.sweep.sweep(now);
    if (result.reminded.length + result.escalated.length > 0) this.logger.log(result, 'complaint sweep');
  }
}
