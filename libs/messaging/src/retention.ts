import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BaseServiceConfig, PeriodicJob, SERVICE_CONFIG } from '@backbone/platform';

/**
 * Purges sent outbox rows and processed inbox rows after their retention period. The inbox must be
 * kept longer than any redelivery can arrive (consumer offsets are committed within seconds; the
 * default keeps 30 days).
 */
@Injectable()
export class MessagingRetention extends PeriodicJob {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: BaseServiceConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return 15 * 60_000;
  }

  protected async tick(now: Date): Promise<void> {
    await this.purge(now);
  }

  /** Deletes in slices so no long lock is held; returns the rows deleted from each table. */
  async purge(now: Date = new Date()): Promise<{ outbox: number; inbox: number }> {
    const outboxBefore = new Date(now.getTime() - this.config.OUTBOX_RETENTION_HOURS * 3600_000);
    const inboxBefore = new Date(now.getTime() - this.config.INBOX_RETENTION_HOURS * 3600_000);
    const outbox = await this.deleteInSlices(
      `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1 LIMIT 5000)`,
      outboxBefore,
    );
    const inbox = await this.deleteInSlices(
      `DELETE FROM inbox WHERE event_id IN (SELECT event_id FROM inbox WHERE processed_at < $1 LIMIT 5000)`,
      inboxBefore,
    );
    if (outbox + inbox > 0) this.logger.log(`purged ${outbox} outbox and ${inbox} inbox rows`);
    return { outbox, inbox };
  }

  private async deleteInSlices(sql: string, before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [, affected] = await this.dataSource.query<[unknown, number]>(sql, [before]);
      total += affected;
      if (affected < 5000) return total;
    }
  }
}
