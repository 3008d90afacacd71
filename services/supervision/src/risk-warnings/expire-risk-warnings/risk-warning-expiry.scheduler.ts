import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SupervisionConfig } from '../../supervision.config';
import { LiftRiskWarningService } from '../lift-risk-warning/lift-risk-warning.service';

/** Expires the risk warnings past their end every DEADLINE_SWEEP_INTERVAL_MS (0: never; the admin endpoint still works). */
@Injectable()
export class RiskWarningExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RiskWarningExpiryScheduler.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
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
    } catch (error) {
      this.logger.error({ err: error }, 'risk warning expiry failed; the next tick retries');
    } finally {
      this.running = false;
    }
  }
}
