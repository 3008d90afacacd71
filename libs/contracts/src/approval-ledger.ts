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
     * `purged`: sent, and the outbox row removed by retention since; `held`: not published, held while the entity
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
