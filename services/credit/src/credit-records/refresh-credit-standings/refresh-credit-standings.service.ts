import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CreditTier } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { CreditRecordService } from '../credit-record.service';

export interface RefreshResult {
  asOf: string;
  /** Records recomputed because their time had come. */
  reviewed: number;
  /** Those whose tier, lists or measures changed (CreditStatusChangedV1 emitted). */
  changed: Array<{ uscc: string; from: CreditTier; to: CreditTier }>;
}

const PAGE = 200;

/**
 * Keeps the stored standings current without a new fact: every record whose `next_review_at` has come
 * (a counted fact left the look-back period, a fact dated later took effect) is recomputed, each in a
 * transaction of its own under the entity's lock, and CreditStatusChangedV1 goes into the outbox when
 * its tier, lists or measures changed. Pages through the due records in a stable order (time, USCC),
 * so none is skipped however many are due.
 */
@Injectable()
export class RefreshCreditStandingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: CreditRecordService,
    private readonly outbox: Outbox,
  ) {}

  async refresh(now = new Date()): Promise<RefreshResult> {
    const result: RefreshResult = { asOf: now.toISOString(), reviewed: 0, changed: [] };
    let after: { at: Date; uscc: string } | null = null;
    for (;;) {
      const page: Array<{ uscc: string; next_review_at: Date }> = await this.dataSource.query(
        `SELECT uscc, next_review_at FROM credit_record
          WHERE next_review_at IS NOT NULL AND next_review_at <= $1
            AND ($2::timestamptz IS NULL OR (next_review_at, uscc) > ($2::timestamptz, $3::text))
          ORDER BY next_review_at, uscc LIMIT ${PAGE}`,
        [now, after?.at ?? null, after?.uscc ?? null],
      );
      for (const row of page) {
        const correlationId = randomUUID();
        await this.dataSource.transaction(async (manager) => {
          const before = await this.records.lock(manager, row.uscc);
          const standing = await this.records.recompute(
            manager,
            row.uscc,
            (type, data) => this.outbox.add(manager, type, { subject: row.uscc, correlationId, data }),
            now,
          );
          result.reviewed++;
          if (
            before.tier !== standing.tier ||
            before.lists.join(',') !== standing.lists.join(',') ||
            before.measures.join(',') !== standing.measures.join(',')
          )
            result.changed.push({ uscc: row.uscc, from: before.tier, to: standing.tier });
        });
      }
      if (page.length < PAGE) return result;
      const last = page[page.length - 1];
      after = { at: last.next_review_at, uscc: last.uscc };
    }
  }
}
