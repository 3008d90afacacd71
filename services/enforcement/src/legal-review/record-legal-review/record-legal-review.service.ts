import { Injectable } from '@nestjs/common';
import { LegalReviewRecordedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError, ForbiddenError } from '@backbone/platform';
import { CaseEvidence } from '../../cases/case-evidence.entity';
import { CaseWithDecision, CaseWorkflow, outboxEmit } from '../../cases/case-workflow.service';
import { reviewIdentity } from '../legal-review-event';
import type { EnforcementCase } from '../../cases/enforcement-case.entity';
import { EnforcementConfig, legalReviewDepartments } from '../../enforcement.config';
import { LegalReview } from '../legal-review.entity';
import type { RecordLegalReviewRequest } from './record-legal-review.request.dto';
import { EnforcementError } from '../../enforcement.errors';

/** Who may not review a case: its investigator, whoever collected its evidence, whoever proposed the decision. */
export function reviewerConflict(
  reviewer: string,
  enforcementCase: Pick<EnforcementCase, 'investigator'>,
  evidenceCollectors: readonly string[],
  requestedBy: string,
): string | null {
  if (reviewer === enforcementCase.investigator) return 'the investigator of the case';
  if (evidenceCollectors.includes(reviewer)) return 'a collector of its evidence';
  if (reviewer === requestedBy) return 'the proposer of the decision';
  return null;
}

/**
 * The legal-review department's answer. Approved: the case may be decided exactly as proposed (or
 * transferred to the judicial authorities). Rejected: back to investigating.
 */
@Injectable()
export class RecordLegalReviewService {
  constructor(
    private readonly workflow: CaseWorkflow,
    private readonly config: EnforcementConfig,
    private readonly outbox: Outbox,
  ) {}

  record(caseId: string, department: string, request: RecordLegalReviewRequest): Promise<CaseWithDecision & { review: LegalReview }> {
    if (!legalReviewDepartments(this.config).includes(department)) {
      throw new ForbiddenError(
        EnforcementError.NOT_LEGAL_REVIEW_DEPARTMENT,
        `${department} is not a legal-review department (${this.config.LEGAL_REVIEW_DEPARTMENTS})`,
      );
    }
    return this.workflow.dataSource
      .transaction(async (manager) => {
        const enforcementCase = await this.workflow.lock(manager, caseId);
        const review = await manager.findOne(LegalReview, { where: { caseId }, order: { requestedAt: 'DESC' } });
        if (enforcementCase.status !== 'under_review' || !review || review.outcome !== null) {
          throw new DomainError(
            EnforcementError.NO_PENDING_REVIEW,
            `case ${caseId} has no legal review waiting (status ${enforcementCase.status})`,
            409,
          );
        }
        const collectors = (await manager.findBy(CaseEvidence, { caseId })).map((evidence) => evidence.collectedBy);
        const conflict = reviewerConflict(request.reviewer, enforcementCase, collectors, review.requestedBy);
        if (conflict) {
          await this.workflow.caseLog.append(manager, enforcementCase, {
            kind: 'legal_review_refused',
            department,
            person: request.reviewer,
            detail: { reviewId: review.id, code: EnforcementError.REVIEWER_NOT_INDEPENDENT, reason: `the reviewer is ${conflict}` },
          });
          return {
            refused: new DomainError(
              EnforcementError.REVIEWER_NOT_INDEPENDENT,
              `${request.reviewer} is ${conflict} and may not review it`,
              422,
            ),
          };
        }
        Object.assign(review, {
          reviewer: request.reviewer,
          reviewerDepartment: department,
          outcome: request.outcome,
          opinion: request.opinion,
          reviewedAt: new Date(),
        });
        await manager.save(review);
        const actor = { department, person: request.reviewer };
        const detail = { reviewId: review.id, action: review.action, opinion: request.opinion };
        if (request.outcome === 'rejected') {
          await this.workflow.move(manager, enforcementCase, 'investigating', actor, 'legal_review_rejected', detail);
        } else {
          await this.workflow.caseLog.append(manager, enforcementCase, {
            kind: 'legal_review_approved',
            ...actor,
            at: review.reviewedAt ?? undefined,
            detail,
          });
        }
        await outboxEmit(this.outbox, manager, enforcementCase.correlationId)(LegalReviewRecordedV1, enforcementCase.uscc, {
          ...reviewIdentity(review, enforcementCase),
          reviewerDepartment: department,
          outcome: request.outcome,
          reviewedAt: (review.reviewedAt as Date).toISOString(),
        });
        return { enforcementCase, decision: null, review };
      })
      .then((outcome) => {
        if ('refused' in outcome) throw outcome.refused;
        return outcome;
      });
  }
}
