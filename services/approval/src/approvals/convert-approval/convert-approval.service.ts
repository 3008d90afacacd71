import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '@backbone/platform';
import { CreditCheck } from '../../credit/credit-check.entity';
import { decideCreditCheck } from '../../credit/credit-check';
import { CreditStanding } from '../../credit/credit-standing.entity';
import { ApprovalChangeService } from '../approval-change.service';
import { Approval } from '../approval.entity';
import type { ConvertApprovalRequest } from './convert-approval.request.dto';
import { ApprovalError } from '../../approval.errors';

/**
 * Turns an approval into a filing or a commitment. A conversion to a commitment is a commitment-based
 * grant, so the credit record is checked first (and the check recorded): joint punishment
 * `no_commitment_approval` refuses it as it refuses a new commitment application.
 */
@Injectable()
export class ConvertApprovalService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly changes: ApprovalChangeService,
  ) {}

  async convert(department: string, approvalId: string, request: ConvertApprovalRequest): Promise<Approval> {
    if (request.to === 'commitment') await this.checkCredit(department, approvalId);
    return this.changes.change(department, approvalId, {
      change: request.to === 'filing' ? 'converted_to_filing' : 'converted_to_commitment',
      reason: request.reason,
      allowedLicenceStates: ['active', 'suspended'],
      apply: (approval) => {
        if (approval.kind === request.to)
          throw new DomainError(ApprovalError.ALREADY_CONVERTED, `approval ${approval.id} is already a ${request.to}`, 409);
        approval.kind = request.to;
      },
    });
  }

  private async checkCredit(department: string, approvalId: string): Promise<void> {
    const approval = await this.dataSource.getRepository(Approval).findOneBy({ id: approvalId });
    if (!approval) throw new NotFoundError('approval', approvalId);
    // Only the approving department's conversions are checked (and recorded); others are refused by the change itself.
    if (approval.approverDepartment !== department || approval.kind === 'commitment') return;
    const standing = await this.dataSource.getRepository(CreditStanding).findOneBy({ uscc: approval.uscc });
    const decision = decideCreditCheck(standing, { kind: 'commitment', outcome: 'granted' });
    const check = await this.dataSource.getRepository(CreditCheck).save({
      uscc: approval.uscc,
      applicationNumber: approval.applicationNumber,
      department,
      kind: 'commitment',
      tier: standing?.tier ?? null,
      lists: standing?.lists ?? [],
      measures: standing?.measures ?? [],
      result: decision.result,
      code: decision.code,
      reason: `conversion to a commitment: ${decision.reason}`,
      approvalId: approval.id,
      at: new Date(),
    });
    if (decision.result === 'refused') {
      throw new DomainError(decision.code ?? ApprovalError.CREDIT_CHECK_REFUSED, decision.reason, 422, {
        creditCheckId: check.id,
        tier: check.tier,
        lists: check.lists,
        measures: check.measures,
      });
    }
  }
}
