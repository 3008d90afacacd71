import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LegalReviewRequestedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError } from '@backbone/platform';
import { CaseWithDecision, CaseWorkflow, outboxEmit } from '../../cases/case-workflow.service';
import { reviewIdentity } from '../legal-review-event';
import { toLicenceAction, toPenalty } from '../../cases/decide-penalty/decide-penalty.service';
import { LegalReview } from '../legal-review.entity';
import type { RequestLegalReviewRequest } from './request-legal-review.request.dto';
import { EnforcementError } from '../../enforcement.errors';

/**
 * investigating → under_review, with the proposal the legal-review department is asked to approve
 * (from under_review after an answered review: through investigating, superseding it).
 */
@Injectable()
export class RequestLegalReviewService {
  constructor(
    private readonly workflow: CaseWorkflow,
    private readonly outbox: Outbox,
  ) {}

  request(caseId: string, department: string, request: RequestLegalReviewRequest): Promise<CaseWithDecision & { review: LegalReview }> {
    return this.workflow.dataSource.transaction(async (manager) => {
      const enforcementCase = await this.workflow.lockOwn(manager, caseId, department);
      if (enforcementCase.status === 'under_review') {
        // A new proposal after an answered review (e.g. other penalties than those approved): back to
        // the investigation, then to review again, both steps recorded. Never while one is pending.
        const latest = await manager.findOne(LegalReview, { where: { caseId }, order: { requestedAt: 'DESC' } });
        if (latest && latest.outcome === null)
          throw new DomainError(EnforcementError.REVIEW_PENDING, `legal review ${latest.id} of case ${caseId} is still pending`, 409);
        await this.workflow.move(
          manager,
          enforcementCase,
          'investigating',
          { department, person: request.requestedBy },
          'legal_review_superseded',
          { reviewId: latest?.id ?? null },
        );
      }
      const review = manager.create(LegalReview, {
        id: randomUUID(),
        caseId,
        action: request.action,
        proposal: {
          reason: request.reason,
          ...(request.action === 'decide'
            ? {
                severity: request.severity ?? 'general',
                penalties: (request.penalties ?? []).map(toPenalty),
                licenceAction: request.licenceAction ? toLicenceAction(request.licenceAction) : null,
              }
            : { toDepartment: request.toDepartment }),
        },
        requestedBy: request.requestedBy,
        requestedAt: new Date(),
        reviewer: null,
        reviewerDepartment: null,
        outcome: null,
        opinion: null,
        reviewedAt: null,
      });
      await this.workflow.move(
        manager,
        enforcementCase,
        'under_review',
        { department, person: request.requestedBy },
        'legal_review_requested',
        {
          reviewId: review.id,
          action: review.action,
          proposal: review.proposal,
        },
      );
      await manager.insert(LegalReview, review);
      // On the case's loop, for the duty figures (reviews pending): no names, the record keeps them.
      await outboxEmit(this.outbox, manager, enforcementCase.correlationId)(LegalReviewRequestedV1, enforcementCase.uscc, {
        ...reviewIdentity(review, enforcementCase),
        action: review.action,
        requestedAt: review.requestedAt.toISOString(),
      });
      return { enforcementCase, decision: null, review };
    });
  }
}
