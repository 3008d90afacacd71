import { DomainError, ForbiddenError } from '@backbone/platform';
import type { EnforcementCase } from './enforcement-case.entity';
import { EnforcementError } from '../enforcement.errors';

export const CASE_STATUSES = ['opened', 'investigating', 'under_review', 'decided', 'served', 'executed', 'closed', 'transferred'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * The lawful course of a case, in one place: state → the states it may go to next.
 * opened → investigating (evidence) → [under_review: legal review, where the decision is major] → decided
 * → served → executed → closed. Before a decision a case may instead be closed without penalty or
 * transferred (to the competent department, or to the judicial authorities). `closed` and `transferred`
 * are final. A rejected legal review sends the case back to investigating.
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  opened: ['investigating', 'closed', 'transferred'],
  investigating: ['under_review', 'decided', 'closed', 'transferred'],
  under_review: ['investigating', 'decided', 'closed', 'transferred'],
  decided: ['served'],
  served: ['executed'],
  executed: ['closed'],
  closed: [],
  transferred: [],
};

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}

/** Only the case's own department may carry it on (and another department learns nothing of its state). */
export function assertCaseDepartment(enforcementCase: EnforcementCase, department: string): void {
  if (enforcementCase.department !== department) {
    throw new ForbiddenError(
      EnforcementError.NOT_CASE_DEPARTMENT,
      `case ${enforcementCase.id} is handled by ${enforcementCase.department}, not by ${department}`,
    );
  }
}

/** Refuses a step the transition table does not allow: 409 ILLEGAL_TRANSITION naming from and to. */
export function assertTransition(enforcementCase: EnforcementCase, to: CaseStatus): void {
  const from = enforcementCase.status;
  if (to === 'decided' && enforcementCase.decidedAt) {
    throw new DomainError(
      EnforcementError.CASE_ALREADY_DECIDED,
      `case ${enforcementCase.id} was decided at ${enforcementCase.decidedAt.toISOString()}`,
      409,
      { from, to },
    );
  }
  if (!canTransition(from, to)) {
    throw new DomainError(
      EnforcementError.ILLEGAL_TRANSITION,
      `case ${enforcementCase.id} cannot go from ${from} to ${to}; from ${from} it may go to: ${CASE_TRANSITIONS[from].join(', ') || 'nothing (final)'}`,
      409,
      { from, to, allowed: CASE_TRANSITIONS[from] },
    );
  }
}

/** Who may decide a case, and when: only the case's department, and only where the table allows it. */
export function assertDecidable(enforcementCase: EnforcementCase, department: string): void {
  assertCaseDepartment(enforcementCase, department);
  assertTransition(enforcementCase, 'decided');
}
