/**
 * The approval service's ledger of granted approvals as `GET /ledger/approvals` answers it: the approval side of
 * the handoff, read by supervision's reconciliation (ADR 0075) and by agencies' auditors. A REST contract,
 * kept here so that the service that writes it and the clients that read it cannot drift apart.
 */

/** Where the approval's `decided` event stands on the approval side. */
export type LedgerPublication = 'pending' | 'sent' | 'purged' | 'held';

export interface LedgerEntry {
  approvalId: string;
  correlationId: string;
  uscc: string;
  itemCode: string;
  regionCode: string;
  approverDepartment: string;
  kind: string;
  decidedAt: string;
  publication: {
    /**
     * `pending`: written to this service's outbox, not yet acknowledged by Kafka; `sent`: acknowledged at `sentAt`;
     * `purged`: sent, and the outbox row removed since (at once when Kafka acknowledged it, the default, ADR 0013; or
     * by retention when the service keeps sent rows); `held`: not published, held while the entity
     * has an open enforcement case.
     */
    status: LedgerPublication;
    decidedEventIds: string[];
    queuedAt: string | null;
    sentAt: string | null;
    heldReason: string | null;
  };
}

export interface LedgerPage {
  from: string;
  to: string;
  items: LedgerEntry[];
  /** The cursor of the next page; null on the last. */
  next: string | null;
}

/**
 * The ledger counted per time bucket (`GET /ledger/approvals/counts`): granted approvals whose decision falls in
 * [start, start + bucketSeconds), with a checksum of their ids. Reconciliation compares them with its own end's
 * count of the same buckets and reads entries only where the two differ, instead of reading the whole period.
 */
export interface LedgerBucket {
  start: string;
  granted: number;
  /**
   * The sum of PostgreSQL's `uuid_hash_extended(approval id, 0)` (a signed 64-bit hash; the one hash partitioning
   * keeps stable across versions), as a decimal string: equal sets give equal sums (ADR 0126; it was md5's first
   * 32 bits, about ten times the cost a row).
   */
  checksum: string;
}

export interface LedgerCounts {
  from: string;
  to: string;
  bucketSeconds: number;
  /** Buckets with at least one granted approval, in time order. */
  buckets: LedgerBucket[];
}

/**
 * The SELECT list that makes a `LedgerBucket` row from rows with an approval id and a decision time, grouped
 * by its first column; $3 is the bucket width in seconds. Both ends use it, so that their buckets and checksums
 * are computed the same way.
 */
export function ledgerBucketColumns(idColumn: string, decidedAtColumn: string): string {
  return (
    `date_bin(make_interval(secs => $3), ${decidedAtColumn}, timestamptz 'epoch') AS start, count(*)::int AS granted, ` +
    `sum(uuid_hash_extended(${idColumn}, 0))::text AS checksum`
  );
}
