import { Inject, Injectable } from '@nestjs/common';
import type { LedgerBucket, LedgerCounts, LedgerEntry } from '@backbone/contracts';
import { API_KEY_HEADER } from '@backbone/platform';
import { SupervisionConfig } from '../supervision.config';

export type { LedgerBucket, LedgerEntry };

export type LedgerRead = { status: 'read'; entries: LedgerEntry[] } | LedgerUnread;
export type LedgerCountsRead = { status: 'read'; buckets: LedgerBucket[] } | LedgerUnread;
export type LedgerUnread = { status: 'not_configured' | 'unreachable'; error: string };

/** Pages are this large; the approval service caps them at 1,000. */
const PAGE = 1000;

/**
 * Reads the other end of the handoff: the approval service's ledger of granted approvals (ADR 0075). Over
 * its REST API, not over Kafka, so that the check does not depend on the path it checks (outbox → Kafka →
 * inbox). A failure is returned, not thrown: reconciliation then reports this end only and says why.
 */
@Injectable()
export class ApprovalLedgerClient {
  constructor(@Inject(SupervisionConfig) private readonly config: SupervisionConfig) {}

  async read(from: Date, to: Date, timeoutMs = 10_000): Promise<LedgerRead> {
    if (!this.config.APPROVAL_URL) return { status: 'not_configured', error: 'APPROVAL_URL is not set' };
    const entries: LedgerEntry[] = [];
    let cursor: string | null = null;
    try {
      do {
        const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), limit: String(PAGE) });
        if (cursor) query.set('cursor', cursor);
        const response = await fetch(`${this.config.APPROVAL_URL}/ledger/approvals?${query}`, {
          headers: { [API_KEY_HEADER]: this.config.APPROVAL_API_KEY },
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) return { status: 'unreachable', error: `approval answered ${response.status}: ${await response.text()}` };
        const page = (await response.json()) as { items: LedgerEntry[]; next: string | null };
        entries.push(...page.items);
        cursor = page.next;
      } while (cursor);
    } catch (error) {
      return { status: 'unreachable', error: (error as Error).message };
    }
    return { status: 'read', entries };
  }

  /** The ledger's granted approvals per bucket of `bucketSeconds`, with their checksums (GET /ledger/approvals/counts). */
  async counts(from: Date, to: Date, bucketSeconds: number, timeoutMs = 10_000): Promise<LedgerCountsRead> {
    if (!this.config.APPROVAL_URL) return { status: 'not_configured', error: 'APPROVAL_URL is not set' };
    try {
      const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), bucketSeconds: String(bucketSeconds) });
      const response = await fetch(`${this.config.APPROVAL_URL}/ledger/approvals/counts?${query}`, {
        headers: { [API_KEY_HEADER]: this.config.APPROVAL_API_KEY },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) return { status: 'unreachable', error: `approval answered ${response.status}: ${await response.text()}` };
      return { status: 'read', buckets: ((await response.json()) as LedgerCounts).buckets };
    } catch (error) {
      return { status: 'unreachable', error: (error as Error).message };
    }
  }
}
