import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LicenceStatusChangedV1, LicenceStatusV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import type { Approval, LicenceStatus } from '../approvals/approval.entity';
import { LicenceTransition } from './licence-transition.entity';
import { canTransition, IllegalLicenceTransitionError } from './licence-transitions';
import { writeApproval } from '../approvals/approval-rows';

export interface TransitionRequest {
  to: LicenceStatus;
  reason: string;
  /** For suspended: until when. */
  until?: Date | null;
  /** The event that caused it, if any. */
  cause?: { eventId: string; eventType: string };
  at?: Date;
  /**
   * `refuse` (REST): an illegal transition throws IllegalLicenceTransitionError (409).
   * `record` (events): an illegal transition is recorded with applied = false, logged, and skipped, so that
   * an event that comes too late (a suspension of a licence already revoked) neither crashes nor
   * dead-letters: the fact that it came is kept, the licence does not move.
   */
  onIllegal: 'refuse' | 'record';
}

/** Moves a licence through the transition table, records the transition and emits it, in the caller's transaction. */
@Injectable()
export class LicenceLifecycle {
  private readonly log = new Logger(LicenceLifecycle.name);

  constructor(private readonly outbox: Outbox) {}

  /** Returns whether the licence moved. The approval must be locked by the caller. */
  async transition(manager: EntityManager, approval: Approval, request: TransitionRequest): Promise<boolean> {
    const from = approval.licenceStatus;
    const at = request.at ?? new Date();
    const until = request.to === 'suspended' ? (request.until ?? null) : null;
    const legal = canTransition(from, request.to);
    if (!legal && request.onIllegal === 'refuse') throw new IllegalLicenceTransitionError(from, request.to);
    await manager.insert(LicenceTransition, {
      approvalId: approval.id,
      fromStatus: from,
      toStatus: request.to,
      applied: legal,
      until,
      reason: legal ? request.reason : `not applied: ${from} → ${request.to} is not allowed; ${request.reason}`,
      causeEventId: request.cause?.eventId ?? null,
      causeEventType: request.cause?.eventType ?? null,
      at,
    });
    if (!legal) {
      this.log.warn(
        `licence of approval ${approval.id} is ${from}: ${request.to} requested by ${request.cause?.eventType ?? 'a request'} ` +
          `${request.cause?.eventId ?? ''} recorded and skipped`,
      );
      return false;
    }
    approval.licenceStatus = request.to;
    approval.suspendedUntil = until;
    await writeApproval(manager, approval);
    await this.outbox.add(manager, LicenceStatusChangedV1, {
      subject: approval.uscc,
      correlationId: approval.correlationId,
      ...(request.cause ? { causationId: request.cause.eventId } : {}),
      data: {
        approvalId: approval.id,
        uscc: approval.uscc,
        ...(approval.licenceNumber ? { licenceNumber: approval.licenceNumber } : {}),
        from: from as LicenceStatusV1,
        to: request.to as LicenceStatusV1,
        ...(until ? { until: until.toISOString() } : {}),
        reason: request.reason.slice(0, 500),
        ...(request.cause ? { causeEventId: request.cause.eventId } : {}),
        changedAt: at.toISOString(),
      },
    });
    return true;
  }
}
