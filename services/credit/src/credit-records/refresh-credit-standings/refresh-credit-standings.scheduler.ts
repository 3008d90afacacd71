import { Injectable } from '@nestjs/common';
import { PeriodicJob } from '@backbone/platform';
import { CreditConfig } from '../../credit.config';
import { RefreshCreditStandingsService } from './refresh-credit-standings.service';

/** Runs the refresh every CREDIT_REFRESH_INTERVAL_MS (0: never; operators can still run it by REST). */
@Injectable()
export class RefreshCreditStandingsScheduler extends PeriodicJob {
  constructor(
    private readonly refresh: RefreshCreditStandingsService,
    private readonly config: CreditConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.CREDIT_REFRESH_INTERVAL_MS;
  }

  protected async tick(now: Date): Promise<void> {
    const result = await this.refresh.refresh(now);
    if (result.changed.length > 0) this.logger.log(result, 'credit refresh');
  }
}
