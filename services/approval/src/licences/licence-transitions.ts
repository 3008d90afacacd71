import { DomainError } from '@backbone/platform';
import type { LicenceStatus } from '../approvals/approval.entity';
import { ApprovalError } from '../approval.errors';

/**
 * The licence lifecycle, in one place: state → the states it may move to.
 *
 * - suspended → suspended: a later suspension replaces the end date.
 * - suspended → active: the suspension ended (the periodic sweep).
 * - active/suspended → expired: validUntil passed without renewal.
 * - expired → cancelled: an expired licence is cancelled (注销), like any other.
 * - revoked, cancelled and none (a refused application: no licence) are final.
 */
export const LICENCE_TRANSITIONS: Readonly<Record<LicenceStatus, readonly LicenceStatus[]>> = {
  active: ['suspended', 'revoked', 'expired', 'cancelled'],
  suspended: ['active', 'suspended', 'revoked', 'expired', 'cancelled'],
  expired: ['cancelled'],
  revoked: [],
  cancelled: [],
  none: [],
};

export const LICENCE_STATES = Object.keys(LICENCE_TRANSITIONS) as LicenceStatus[];

export function canTransition(from: LicenceStatus, to: LicenceStatus): boolean {
  return LICENCE_TRANSITIONS[from].includes(to);
}

export class IllegalLicenceTransitionError extends DomainError {
  constructor(
    readonly from: LicenceStatus,
    readonly to: LicenceStatus,
  ) {
    super(
      ApprovalError.ILLEGAL_LICENCE_TRANSITION,
      `a licence that is ${from} cannot become ${to} (allowed from ${from}: ${LICENCE_TRANSITIONS[from].join(', ') || 'none, it is final'})`,
      409,
      { from, to, allowed: LICENCE_TRANSITIONS[from] },
    );
  }
}

/** Throws IllegalLicenceTransitionError when the table forbids the move. */
export function assertTransition(from: LicenceStatus, to: LicenceStatus): void {
  if (!canTransition(from, to)) throw new IllegalLicenceTransitionError(from, to);
}

/** What the periodic sweep must do to a licence at `asOf`, or undefined when nothing is due. */
export function dueTransition(
  licence: { status: LicenceStatus; suspendedUntil: Date | null; validUntil: Date | null },
  asOf: Date,
): { to: LicenceStatus; reason: string } | undefined {
  if (licence.status === 'suspended' && licence.validUntil && licence.validUntil <= asOf) {
    return { to: 'expired', reason: `validity ended ${licence.validUntil.toISOString()} while suspended` };
  }
  if (licence.status === 'suspended' && licence.suspendedUntil && licence.suspendedUntil <= asOf) {
    return { to: 'active', reason: `suspension ended ${licence.suspendedUntil.toISOString()}` };
  }
  if (licence.status === 'active' && licence.validUntil && licence.validUntil <= asOf) {
    return { to: 'expired', reason: `validity ended ${licence.validUntil.toISOString()} without renewal` };
  }
  return undefined;
}
