import type { EnforcementCase } from '../cases/enforcement-case.entity';
import type { LegalReview } from './legal-review.entity';

/** What every legal-review event names: the review, its case and the case's department (no persons). */
export function reviewIdentity(review: LegalReview, enforcementCase: EnforcementCase) {
  return { reviewId: review.id, caseId: enforcementCase.id, uscc: enforcementCase.uscc, department: enforcementCase.department };
}
