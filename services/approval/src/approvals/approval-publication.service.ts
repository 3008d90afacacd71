import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApprovalDecidedV2 } from '@backbone/contracts';
import { Outbox, type OutgoingEvent } from '@backbone/messaging';
import type { Approval } from './approval.entity';

/** Publishes `approval decided` (v2) for an approval, in the caller's transaction: the start of the double push. */
@Injectable()
export class ApprovalPublication {
  constructor(private readonly outbox: Outbox) {}

  async publishDecided(manager: EntityManager, approval: Approval, causationId?: string): Promise<void> {
    await this.outbox.add(manager, ApprovalDecidedV2, decidedEvent(approval, causationId));
  }
}

/** The `approval decided` (v2) event of an approval as it stands. */
export function decidedEvent(approval: Omit<Approval, 'createdAt' | 'updatedAt'>, causationId?: string): OutgoingEvent<ApprovalDecidedV2> {
  return {
    subject: approval.uscc,
    correlationId: approval.correlationId,
    ...(causationId ? { causationId } : {}),
    data: {
      approvalId: approval.id,
      version: approval.version,
      uscc: approval.uscc,
      entityName: approval.entityName,
      itemCode: approval.itemCode,
      regionCode: approval.regionCode,
      approverDepartment: approval.approverDepartment,
      kind: approval.kind,
      outcome: approval.outcome,
      ...(approval.licenceNumber ? { licenceNumber: approval.licenceNumber } : {}),
      decidedAt: approval.decidedAt.toISOString(),
      ...(approval.validUntil ? { validUntil: approval.validUntil.toISOString() } : {}),
      ...(approval.delegation ? { delegation: { ...approval.delegation } } : {}),
      ...(approval.entrustment ? { entrustment: { ...approval.entrustment } } : {}),
    },
  };
}
