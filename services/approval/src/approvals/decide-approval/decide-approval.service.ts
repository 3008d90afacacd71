import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, IsNull, QueryFailedError } from 'typeorm';
import { DomainError } from '@backbone/platform';
import { ApprovalConfig } from '../../approval.config';
import { CreditCheck } from '../../credit/credit-check.entity';
import { decideCreditCheck } from '../../credit/credit-check';
import { CreditStanding } from '../../credit/credit-standing.entity';
import { EnforcementCaseProjection } from '../../holds/enforcement-case-projection.entity';
import { lockEntity } from '../../holds/entity-lock';
import { holdReason, parseHoldItems } from '../../holds/hold-rule';
import { Approval } from '../approval.entity';
import { ApprovalPublication } from '../approval-publication.service';
import type { DecideApprovalRequest } from './decide-approval.request.dto';
import { ApprovalError } from '../../approval.errors';

export interface DecideApprovalResult {
  approval: Approval;
  /** False when the same application was posted before: the earlier approval is returned, nothing written. */
  created: boolean;
}

/**
 * Records an approval decision and, in the same transaction, the `approval decided` (v2) event that
 * starts the double push. Before that, the entity's credit standing is checked (逢办必查) and the
 * check recorded, refused or not; joint-punishment measures apply. While the entity has an open
 * enforcement case, an approval of a held item is stored but not published (see holds/).
 * Posting the same application number again changes nothing.
 */
@Injectable()
export class DecideApprovalService {
  private readonly logger = new Logger(DecideApprovalService.name);
  private readonly holdItems: ReadonlySet<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publication: ApprovalPublication,
    config: ApprovalConfig,
  ) {
    this.holdItems = parseHoldItems(config.HOLD_ITEMS_DURING_OPEN_CASE);
  }

  async decide(approverDepartment: string, request: DecideApprovalRequest): Promise<DecideApprovalResult> {
    const existing = await this.find(approverDepartment, request.applicationNumber);
    if (existing) return { approval: existing, created: false };
    let result: { approval: Approval } | { refused: CreditCheck };
    try {
      result = await this.dataSource.transaction(async (manager) => {
        await lockEntity(manager, request.uscc);
        const standing = await manager.findOneBy(CreditStanding, { uscc: request.uscc });
        const decision = decideCreditCheck(standing, request);
        const check = manager.create(CreditCheck, {
          uscc: request.uscc,
          applicationNumber: request.applicationNumber,
          department: approverDepartment,
          kind: request.kind,
          tier: standing?.tier ?? null,
          lists: standing?.lists ?? [],
          measures: standing?.measures ?? [],
          result: decision.result,
          code: decision.code,
          reason: decision.reason,
          approvalId: null,
          at: new Date(),
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
          creditCheckReason: decision.reason,
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
        return { approval };
      });
    } catch (error) {
      // The same application posted twice at once: the other request won; return its approval.
      if (error instanceof QueryFailedError && (error as { code?: string }).code === '23505') {
        const winner = await this.find(approverDepartment, request.applicationNumber);
        if (winner) return { approval: winner, created: false };
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

  private find(approverDepartment: string, applicationNumber: string): Promise<Approval | null> {
    return this.dataSource.getRepository(Approval).findOneBy({ approverDepartment, applicationNumber });
  }
}
