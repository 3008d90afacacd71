import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CaseWithDecision, CaseWorkflow } from '../../cases/case-workflow.service';
import { toLicenceAction, toPenalty } from '../../cases/decide-penalty/decide-penalty.service';
import { LegalReview } from '../legal-review.entity';
import type { RequestLegalReviewRequest } from './request-legal-review.request.dto';

/** investigating → under_review, with the proposal the legal-review department is asked to approve. */
@Injectable()
export class RequestLegalReviewService {
  constructor(private readonly workflow: CaseWorkflow) {}

  request(caseId: string, department: string, request: RequestLegalReviewRequest): Promise<CaseWithDecision & { review: LegalReview }> {
    return this.workflow.dataSource.transaction(async (manager) => {
      const enforcementCase = await this.workflow.lockOwn(manager, caseId, department);
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
      await this.workflow.move(manager, enforcementCase, 'under_review', { department, person: request.requestedBy }, 'legal_review_requested', {
        reviewId: review.id,
        action: review.action,
        proposal: review.proposal,
      });
      await manager.insert(LegalReview, review);
      return { enforcementCase, decision: null, review };
    });
  }
}
