import { DomainError, ForbiddenError } from '@backbone/platform';
import type { EnforcementCase } from './enforcement-case.entity';

/**
 * Who may decide a case, and when: only the case's enforcing department, and only while the case is
 * open (a case is decided once; a correction is a new decision procedure, not an overwrite).
 */
export function assertDecidable(enforcementCase: EnforcementCase, department: string): void {
  if (enforcementCase.department !== department) {
    throw new ForbiddenError(
      'NOT_CASE_DEPARTMENT',
      `case ${enforcementCase.id} is handled by ${enforcementCase.department}, not by ${department}`,
    );
  }
  if (enforcementCase.status !== 'opened') {
    throw new DomainError(
      'CASE_ALREADY_DECIDED',
      `case ${enforcementCase.id} was decided at ${enforcementCase.decidedAt?.toISOString()}`,
      409,
    );
  }
}
