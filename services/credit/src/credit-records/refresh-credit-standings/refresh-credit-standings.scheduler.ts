import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CreditConfig } from '../../credit.config';
import { RefreshCreditStandingsService } from './refresh-credit-standings.service';

/** Runs the refresh every CREDIT_REFRESH_INTERVAL_MS (0: never; operators can still run it by REST). */
@Injectable()
export class RefreshCreditStandingsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RefreshCreditStandingsScheduler.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly refresh: RefreshCreditStandingsService,
    private readonly config: CreditConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.CREDIT_REFRESH_INTERVAL_MS <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.CREDIT_REFRESH_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const result = await this.refresh.refresh(new Date());
      if (result.changed.length > 0) this.logger.log(result, 'credit refresh');
    } catch (error) {
      this.logger.error({ err: error }, 'credit refresh failed; the next one retries');
    } finally {
      this.running = false;
    }
  }
}
