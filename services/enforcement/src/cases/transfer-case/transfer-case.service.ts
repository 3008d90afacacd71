import { Injectable } from '@nestjs/common';
import { CaseTransferredV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError } from '@backbone/platform';
import { LegalReview } from '../../legal-review/legal-review.entity';
import { CaseWithDecision, CaseWorkflow, outboxEmit } from '../case-workflow.service';
import { assertTransition } from '../case-state';
import type { TransferCaseRequest } from './transfer-case.request.dto';
import { EnforcementError } from '../../enforcement.errors';

/**
 * Hands a case on (线索移送 / 移送司法机关): CaseTransferredV1 to the receiver, and the case closes
 * here with outcome 'transferred'. A transfer to the judicial authorities is a major decision: it needs
 * an approved legal review of that transfer; a refused attempt is recorded.
 */
@Injectable()
export class TransferCaseService {
  constructor(
    private readonly workflow: CaseWorkflow,
    private readonly outbox: Outbox,
  ) {}

  async transfer(caseId: string, department: string, request: TransferCaseRequest): Promise<CaseWithDecision> {
    const outcome = await this.workflow.dataSource.transaction(async (manager) => {
      const enforcementCase = await this.workflow.lockOwn(manager, caseId, department);
      assertTransition(enforcementCase, 'transferred');
      if (request.target === 'department' && request.toDepartment === department) {
        throw new DomainError(EnforcementError.TRANSFER_TO_SELF, `case ${caseId} is already ${department}'s`, 422);
      }
      let reviewId: string | null = null;
      if (request.target === 'judicial') {
        const review = await manager.findOne(LegalReview, {
          where: { caseId, action: 'transfer_judicial' },
          order: { requestedAt: 'DESC' },
        });
        if (!review || review.outcome !== 'approved') {
          const refused = new DomainError(
            EnforcementError.LEGAL_REVIEW_REQUIRED,
            `a transfer to the judicial authorities needs an approved legal review first; ${review ? `the latest review is ${review.outcome ?? 'pending'}` : 'none was requested'}`,
            422,
            {
              major: ['transfer to judicial authorities'],
            },
          );
          await this.workflow.caseLog.append(manager, enforcementCase, {
            kind: 'transfer_refused',
            department,
            person: request.transferredBy,
            detail: { code: refused.code, reason: refused.message, target: request.target, toDepartment: request.toDepartment },
          });
          return { refused };
        }
        reviewId = review.id;
      }
      const transferredAt = new Date();
      enforcementCase.transferredTo = request.toDepartment;
      const emit = outboxEmit(this.outbox, manager, enforcementCase.correlationId);
      await emit(CaseTransferredV1, enforcementCase.uscc, {
        caseId,
        uscc: enforcementCase.uscc,
        ...(enforcementCase.approvalId ? { approvalId: enforcementCase.approvalId } : {}),
        fromDepartment: department,
        target: request.target,
        toDepartment: request.toDepartment,
        violationCodes: enforcementCase.violationCodes,
        reason: request.reason,
        transferredAt: transferredAt.toISOString(),
      });
      await this.workflow.close(
        manager,
        enforcementCase,
        'transferred',
        'transferred',
        { department, person: request.transferredBy },
        'transferred',
        {
          target: request.target,
          toDepartment: request.toDepartment,
          reason: request.reason,
          legalReviewId: reviewId,
        },
        emit,
      );
      return { enforcementCase, decision: null };
    });
    if ('refused' in outcome) throw outcome.refused;
    return outcome;
  }
}
