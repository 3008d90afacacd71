import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EnforcementConfig } from '../../enforcement.config';
import { RunComplaintSweepService } from './run-complaint-sweep.service';

/** Runs the complaint sweep every COMPLAINT_SWEEP_INTERVAL_MS (0: never). */
@Injectable()
export class RunComplaintSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RunComplaintSweepScheduler.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly sweep: RunComplaintSweepService,
    private readonly config: EnforcementConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.COMPLAINT_SWEEP_INTERVAL_MS <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.COMPLAINT_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const result = await this.sweep.sweep(new Date());
      if (result.reminded.length + result.escalated.length > 0) this.logger.log(result, 'complaint sweep');
    } catch (error) {
      this.logger.error({ err: error }, 'complaint sweep failed; the next one retries');
    } finally {
      this.running = false;
    }
  }
}
