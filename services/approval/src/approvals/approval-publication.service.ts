import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApprovalDecidedV2, isoString } from '@backbone/contracts';
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
      decidedAt: isoString(approval.decidedAt),
      ...(approval.validUntil ? { validUntil: isoString(approval.validUntil) } : {}),
      ...(approval.delegation ? { delegation: { ...approval.delegation } } : {}),
      ...(approval.entrustment ? { entrustment: { ...approval.entrustment } } : {}),
    },
  };
}

/**
 * Whether `decidedEvent(approval)` needs no validation before it is written: an approval decided from a
 * request the edge validated (DecideApprovalRequest's rules are the event's) makes a valid event by
 * construction (decided-event.spec.ts proves it over the rules' boundaries). Except where the request's
 * rules let through what the event's refuse: a date past year 9999 once in UTC (its ISO text then has a
 * six-digit year), or a department name (configuration) longer than 64 characters: those are validated,
 * and refused, as before.
 */
export function decidedEventValidByConstruction(approval: Pick<Approval, 'approverDepartment' | 'decidedAt' | 'validUntil'>): boolean {
  return (
    approval.approverDepartment.length <= 64 &&
    fourDigitYear(approval.decidedAt) &&
    (approval.validUntil === null || approval.validUntil === undefined || fourDigitYear(approval.validUntil))
  );
}

function fourDigitYear(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= 0 && year <= 9999;
}
