import { Injectable, Logger } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { ApprovalRiskReviewedV1, RiskWarningLevel } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError } from '@backbone/platform';
import { ApprovalConfig } from '../../approval.config';
import { ApprovalError } from '../../approval.errors';
import { CreditCheck } from '../../credit/credit-check.entity';
import { lockEntity } from '../../holds/entity-lock';
import { parseHoldItems } from '../../holds/hold-rule';
import { Approval } from '../approval.entity';
import { ApprovalPublication } from '../approval-publication.service';
import { decideApplication, DecisionPolicy, mayBeHeld } from './application-decision';
import { lookupFacts } from './application-facts';
import type { DecideApprovalRequest } from './decide-approval.request.dto';
import { differingFields } from './same-application';

export interface DecideApprovalResult {
  approval: Approval;
  /** False when the same application was posted before: the earlier approval is returned, nothing written. */
  created: boolean;
}

/**
 * Records an approval decision and, in the same transaction, the `approval decided` (v2) event that
 * starts the double push. Before that, the entity's credit standing is checked (逢办必查) and the
 * check recorded, refused or not; joint-punishment measures apply. While the entity has an open
 * enforcement case, an approval of a held item is stored but not published (see holds/). An active risk
 * warning covering the application reviews it strictly (risk-warnings/risk-review.ts, docs/domain.md §8).
 * Posting the same application again changes nothing; the same number with other particulars is a 409.
 */
@Injectable()
export class DecideApprovalService {
  private readonly logger = new Logger(DecideApprovalService.name);
  private readonly policy: DecisionPolicy;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publication: ApprovalPublication,
    private readonly outbox: Outbox,
    config: ApprovalConfig,
  ) {
    this.policy = {
      holdItems: parseHoldItems(config.HOLD_ITEMS_DURING_OPEN_CASE),
      noCommitmentLevels: new Set(config.RISK_WARNING_NO_COMMITMENT_LEVELS.split(',').filter(Boolean) as RiskWarningLevel[]),
    };
  }

  async decide(approverDepartment: string, request: DecideApprovalRequest): Promise<DecideApprovalResult> {
    const existing = await this.find(approverDepartment, request.applicationNumber);
    if (existing) return { approval: this.sameApplication(existing, request), created: false };
    let result: { approval: Approval } | { refused: CreditCheck };
    try {
      result = await this.dataSource.transaction(async (manager) => {
        const mayBeHeldNow = mayBeHeld(this.policy, request);
        // Only a hold is decided against concurrent case events: the entity is locked only when one could apply.
        if (mayBeHeldNow) await lockEntity(manager, request.uscc);
        const checkedAt = new Date();
        const [facts] = await lookupFacts(
          (statement, values) => manager.query(statement.text, values),
          [{ uscc: request.uscc, itemCode: request.itemCode, mayBeHeld: mayBeHeldNow }],
          checkedAt,
        );
        const decision = decideApplication(this.policy, approverDepartment, request, facts, checkedAt);
        const check = manager.create(CreditCheck, decision.check);
        if (decision.refused) {
          // The check is recorded; nothing else is written.
          await manager.insert(CreditCheck, check);
          return { refused: check };
        }
        const approval = manager.create(Approval, decision.approval);
        await manager.insert(Approval, approval);
        await manager.insert(CreditCheck, check);
        if (!decision.held) await this.publication.publishDecided(manager, approval);
        if (approval.riskWarning && decision.riskReviewedAt) {
          await this.outbox.add(manager, ApprovalRiskReviewedV1, {
            subject: approval.uscc,
            correlationId: approval.correlationId,
            data: {
              approvalId: approval.id,
              uscc: approval.uscc,
              itemCode: approval.itemCode,
              approverDepartment,
              warningId: approval.riskWarning.warningId,
              level: approval.riskWarning.level,
              reviewedAt: decision.riskReviewedAt.toISOString(),
            },
          });
        }
        return { approval };
      });
    } catch (error) {
      // The same application posted twice at once: the other request won; return its approval.
      if (error instanceof QueryFailedError && (error as { code?: string }).code === '23505') {
        const winner = await this.find(approverDepartment, request.applicationNumber);
        if (winner) return { approval: this.sameApplication(winner, request), created: false };
      }
      throw error;
    }
    if ('refused' in result) {
      const check = result.refused;
      throw new DomainError(check.code ?? ApprovalError.CREDIT_CHECK_REFUSED, check.reason, 422, {
        creditCheckId: check.id,
        tier: check.tier,
        lists: check.lists,
        measures: check.measures,
      });
    }
    const { approval } = result;
    // The loop's correlation id starts here: every later log line and event of this approval carries it.
    this.logger.log(
      { correlationId: approval.correlationId, approvalId: approval.id, uscc: approval.uscc, itemCode: approval.itemCode },
      'approval recorded',
    );
    return { approval, created: true };
  }

  /** A repeated application must be the same one: else 409 naming the fields that differ (nothing is written). */
  private sameApplication(recorded: Approval, request: DecideApprovalRequest): Approval {
    const fields = differingFields(recorded, request);
    if (fields.length > 0) {
      throw new DomainError(
        'APPLICATION_NUMBER_CONFLICT',
        `application ${recorded.applicationNumber} was recorded before with other particulars: ${fields.join(', ')}`,
        409,
        { fields, approvalId: recorded.id },
      );
    }
    return recorded;
  }

  private find(approverDepartment: string, applicationNumber: string): Promise<Approval | null> {
    return this.dataSource.getRepository(Approval).findOneBy({ approverDepartment, applicationNumber });
  }
}
