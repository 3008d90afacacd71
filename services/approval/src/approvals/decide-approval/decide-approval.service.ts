import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, IsNull, LessThanOrEqual, MoreThan, QueryFailedError } from 'typeorm';
import { ApprovalRiskReviewedV1, RiskWarningLevel, strongestRiskWarning } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError } from '@backbone/platform';
import { ApprovalConfig } from '../../approval.config';
import { CreditCheck } from '../../credit/credit-check.entity';
import { decideCreditCheck, decideFastTrack } from '../../credit/credit-check';
import { CreditStanding } from '../../credit/credit-standing.entity';
import { EnforcementCaseProjection } from '../../holds/enforcement-case-projection.entity';
import { lockEntity } from '../../holds/entity-lock';
import { holdReason, parseHoldItems } from '../../holds/hold-rule';
import { Approval } from '../approval.entity';
import { ApprovalPublication } from '../approval-publication.service';
import type { DecideApprovalRequest } from './decide-approval.request.dto';
import { differingFields } from './same-application';
import { ApprovalError } from '../../approval.errors';
import { HeldRiskWarningRow } from '../../risk-warnings/held-risk-warning.entity';
import { decideRiskReview, RiskReviewDecision } from '../../risk-warnings/risk-review';

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
  private readonly holdItems: ReadonlySet<string>;
  private readonly noCommitmentLevels: ReadonlySet<RiskWarningLevel>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publication: ApprovalPublication,
    private readonly outbox: Outbox,
    config: ApprovalConfig,
  ) {
    this.holdItems = parseHoldItems(config.HOLD_ITEMS_DURING_OPEN_CASE);
    this.noCommitmentLevels = new Set(config.RISK_WARNING_NO_COMMITMENT_LEVELS.split(',').filter(Boolean) as RiskWarningLevel[]);
  }

  async decide(approverDepartment: string, request: DecideApprovalRequest): Promise<DecideApprovalResult> {
    const existing = await this.find(approverDepartment, request.applicationNumber);
    if (existing) return { approval: this.sameApplication(existing, request), created: false };
    let result: { approval: Approval } | { refused: CreditCheck };
    try {
      result = await this.dataSource.transaction(async (manager) => {
        await lockEntity(manager, request.uscc);
        const standing = await manager.findOneBy(CreditStanding, { uscc: request.uscc });
        const credit = decideCreditCheck(standing, request);
        const checkedAt = new Date();
        const open = await manager.find(HeldRiskWarningRow, {
          where: { endedAt: IsNull(), startsAt: LessThanOrEqual(checkedAt), endsAt: MoreThan(checkedAt) },
        });
        const warning = strongestRiskWarning(
          open.map((row) => row.held()),
          { uscc: request.uscc, regionCode: request.regionCode, itemCode: request.itemCode },
          checkedAt,
        );
        const risk = decideRiskReview(warning, request, this.noCommitmentLevels);
        // A credit refusal stands; otherwise a risk refusal refuses; a flag of either flags.
        const checked: { result: string; code: string | null; reason: string } =
          credit.result === 'refused' || risk.result === 'none' ? credit : risk.result === 'refused' ? risk : this.flagged(credit, risk);
        const [redList] = await manager.query(`SELECT on_red_list AS "onRedList", incentives FROM red_list_standing WHERE uscc = $1`, [
          request.uscc,
        ]);
        const fast = decideFastTrack(checked, redList ?? null, request);
        const decision = fast.fastTrack ? { ...checked, code: fast.code, reason: `${checked.reason}; ${fast.reason}` } : checked;
        const check = manager.create(CreditCheck, {
          uscc: request.uscc,
          applicationNumber: request.applicationNumber,
          department: approverDepartment,
          kind: request.kind,
          tier: standing?.tier ?? null,
          lists: standing?.lists ?? [],
          measures: standing?.measures ?? [],
          result: decision.result as CreditCheck['result'],
          code: decision.code,
          reason: decision.reason,
          approvalId: null,
          at: checkedAt,
        });
        if (decision.result === 'refused') {
          // The check is recorded; nothing else is written.
          await manager.insert(CreditCheck, check);
          return { refused: check };
        }
        const openCases = await manager.find(EnforcementCaseProjection, {
          where: { uscc: request.uscc, closedAt: IsNull() },
          order: { openedAt: 'ASC' },
        });
        const held = holdReason(
          this.holdItems,
          request,
          openCases.map((open) => open.caseId),
        );
        const granted = request.outcome === 'granted';
        const now = new Date();
        const approval = manager.create(Approval, {
          id: randomUUID(),
          version: 1,
          correlationId: randomUUID(),
          applicationNumber: request.applicationNumber,
          uscc: request.uscc,
          entityName: request.entityName,
          itemCode: request.itemCode,
          regionCode: request.regionCode,
          approverDepartment,
          kind: request.kind,
          outcome: request.outcome,
          licenceNumber: granted ? (request.licenceNumber ?? null) : null,
          licenceStatus: granted ? 'active' : 'none',
          suspendedUntil: null,
          decidedAt: request.decidedAt ? new Date(request.decidedAt) : now,
          validUntil: request.validUntil ? new Date(request.validUntil) : null,
          supervisionStatus: 'awaiting_assignment',
          supervisingDepartment: null,
          taskId: null,
          claimedAt: null,
          delegation: request.delegation ? { ...request.delegation } : null,
          entrustment: request.entrustment ? { ...request.entrustment } : null,
          publicationStatus: held ? 'held' : 'published',
          heldReason: held ?? null,
          heldSince: held ? now : null,
          releasedAt: null,
          stricterReview: decision.result === 'flagged',
          fastTrack: fast.fastTrack,
          creditCheckReason: fast.fastTrack ? `${credit.reason}; ${fast.reason}` : credit.reason,
          riskWarning:
            warning && risk.result === 'flagged'
              ? { warningId: warning.warningId, reference: warning.reference, level: warning.level, reason: risk.reason }
              : null,
          stillSupervised: null,
          lastChange: null,
          rectificationDeadline: null,
          rectificationReason: null,
          claimDeadline: null,
          claimRemindedAt: null,
          escalatedAt: null,
          returnedReason: null,
          closedReason: null,
        });
        await manager.insert(Approval, approval);
        check.approvalId = approval.id;
        await manager.insert(CreditCheck, check);
        if (!held) await this.publication.publishDecided(manager, approval);
        if (approval.riskWarning) {
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
              reviewedAt: checkedAt.toISOString(),
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

  /** Both checks flag or accept: the credit check's flag and reason first, the warning's after. */
  private flagged(credit: { result: string; code: string | null; reason: string }, risk: RiskReviewDecision) {
    if (credit.result !== 'flagged') return risk;
    return { result: 'flagged', code: credit.code, reason: `${credit.reason}; ${risk.reason}` };
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
