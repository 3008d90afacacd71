import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ApprovalDecidedV1,
  ApprovalDecidedV2,
  LedgerBucket,
  ledgerBucketColumns,
  LedgerCounts,
  LedgerEntry,
  LedgerPage,
  LedgerPublication,
} from '@backbone/contracts';
import { decodeKeysetCursor, DomainError, encodeKeysetCursor, onOneCore } from '@backbone/platform';
import { ApprovalError } from '../../approval.errors';

interface Row {
  id: string;
  position: string;
  correlation_id: string;
  uscc: string;
  item_code: string;
  region_code: string;
  approver_department: string;
  kind: string;
  decided_at: Date;
  publication_status: 'published' | 'held';
  held_reason: string | null;
  event_ids: string[] | null;
  queued_at: Date | null;
  sent_at: Date | null;
  pending: boolean | null;
}

const DECIDED_TYPES = [ApprovalDecidedV1.type, ApprovalDecidedV2.type];

/**
 * The ledger of granted approvals (issue #10, ADR 0075): what this service decided in a period and how far
 * each approval's `decided` event got on this side (still in the outbox, acknowledged by Kafka, held). The
 * other end (supervision's reconciliation) reads it to find approvals that never reached it, and why.
 * Pages in decision order (`decided_at`, `id`), keyset-paginated, so a page is one index range scan.
 */
@Injectable()
export class ListLedgerService {
  constructor(private readonly dataSource: DataSource) {}

  async page(from: Date, to: Date, cursor: string | undefined, limit: number): Promise<LedgerPage> {
    if (to.getTime() <= from.getTime()) throw new DomainError(ApprovalError.EMPTY_PERIOD, 'to: must be after from', 422);
    const after = cursor ? decodeKeysetCursor(cursor) : null;
    const rows: Row[] = await this.dataSource.query(
      `SELECT a.id, to_json(a.decided_at) #>> '{}' AS position, a.correlation_id, a.uscc, a.item_code, a.region_code, a.approver_department, a.kind, a.decided_at,
              a.publication_status, a.held_reason, o.event_ids, o.queued_at, o.sent_at, o.pending
         FROM approval a
         LEFT JOIN LATERAL (
           SELECT array_agg(event_id ORDER BY id) AS event_ids, min(created_at) AS queued_at, min(sent_at) AS sent_at,
                  bool_or(sent_at IS NULL) AS pending
             FROM outbox
            WHERE correlation_id = a.correlation_id::text AND event_type = ANY($3::text[])
              AND convert_from(value, 'UTF8')::jsonb #>> '{data,approvalId}' = a.id::text
         ) o ON true
        WHERE a.outcome = 'granted' AND a.decided_at >= $1 AND a.decided_at < $2
          AND ($4::timestamptz IS NULL OR (a.decided_at, a.id) > ($4::timestamptz, $5::uuid))
        ORDER BY a.decided_at, a.id
        LIMIT $6`,
      [from, to, DECIDED_TYPES, after?.at ?? null, after?.id ?? null, limit],
    );
    const items = rows.map((row): LedgerEntry => {
      const status: LedgerPublication =
        row.publication_status === 'held' ? 'held' : !row.event_ids ? 'purged' : row.sent_at ? 'sent' : 'pending';
      return {
        approvalId: row.id,
        correlationId: row.correlation_id,
        uscc: row.uscc,
        itemCode: row.item_code,
        regionCode: row.region_code,
        approverDepartment: row.approver_department,
        kind: row.kind,
        decidedAt: row.decided_at.toISOString(),
        publication: {
          status,
          decidedEventIds: row.event_ids ?? [],
          queuedAt: row.queued_at?.toISOString() ?? null,
          sentAt: row.sent_at?.toISOString() ?? null,
          heldReason: row.held_reason,
        },
      };
    });
    const last = rows.length === limit ? rows[rows.length - 1] : undefined;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      items,
      next: last ? encodeKeysetCursor({ at: last.position, id: last.id }) : null,
    };
  }

  /** The granted approvals of a period per time bucket, with the checksum of their ids (one aggregate over an index range). */
  async counts(from: Date, to: Date, bucketSeconds: number): Promise<LedgerCounts> {
    if (to.getTime() <= from.getTime()) throw new DomainError(ApprovalError.EMPTY_PERIOD, 'to: must be after from', 422);
    // Asked every minute by supervision's reconciliation: on one core, so that the POSTs and the loop keep the
    // other (ADR 0126).
    const rows: Array<{ start: Date; granted: number; checksum: string }> = await onOneCore(this.dataSource, (db) =>
      db.query(
        `SELECT ${ledgerBucketColumns('id', 'decided_at')}
           FROM approval WHERE outcome = 'granted' AND decided_at >= $1 AND decided_at < $2
          GROUP BY 1 ORDER BY 1`,
        [from, to, bucketSeconds],
      ),
    );
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      bucketSeconds,
      buckets: rows.map((row): LedgerBucket => ({ start: row.start.toISOString(), granted: row.granted, checksum: row.checksum })),
    };
  }
}
