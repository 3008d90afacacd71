import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isoString } from '@backbone/contracts';
import type { StoredApproval } from '../tasks/supervision-task.entity';

/** A granted licence for an entity and item ends the wait of its double notification: no clue will follow. */
@Injectable()
export class RecordLicenceService {
  async licenceGranted(manager: EntityManager, approval: StoredApproval): Promise<void> {
    await this.licencesGranted(manager, [approval]);
  }

  /**
   * Granted licences, in the order they were decided, in one statement: a notification waiting for its
   * entity and item is settled by the first of them (as one by one: the later ones find it settled).
   */
  async licencesGranted(manager: EntityManager, approvals: StoredApproval[]): Promise<void> {
    const first = new Map<string, StoredApproval>();
    for (const approval of approvals) {
      const key = JSON.stringify([approval.uscc, approval.itemCode]);
      if (!first.has(key)) first.set(key, approval);
    }
    if (first.size === 0) return;
    const settling = [...first.values()];
    await manager.query(SETTLE_NOTIFICATIONS, [
      settling.map((approval) => approval.uscc),
      settling.map((approval) => approval.itemCode),
      settling.map((approval) => isoString(new Date(approval.decidedAt))),
      settling.map((approval) => approval.approvalId),
    ]);
  }
}

/**
 * Settles the notifications still waiting for these entities and items: $1 USCCs, $2 item codes, $3 the
 * decisions' times, $4 the approvals. Found by `entity_notification_unlicensed` (ADR 0082).
 */
export const SETTLE_NOTIFICATIONS = `UPDATE entity_notification n SET licensed_at = u.decided_at, licence_approval_id = u.approval_id
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::uuid[]) AS u(uscc, item_code, decided_at, approval_id)
       WHERE n.uscc = u.uscc AND n.item_code = u.item_code AND n.licensed_at IS NULL`;
