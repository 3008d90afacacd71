import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApprovalChange, ApprovalChangedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError, ForbiddenError, NotFoundError } from '@backbone/platform';
import { Approval, LicenceStatus } from './approval.entity';
import { writeApproval } from './approval-rows';
import { ApprovalError } from '../approval.errors';

export interface ChangeRequest {
  change: ApprovalChange;
  reason: string;
  /** Licence states in which this change may be made. */
  allowedLicenceStates: readonly LicenceStatus[];
  /** Applies the change to the locked approval (may write more through the manager). */
  apply: (approval: Approval, manager: EntityManager) => Promise<void> | void;
  stillSupervised?: boolean;
}

/**
 * What every change of an approval shares (amend, renew, cancel, convert): only the approving
 * department may make it; the approval is locked, its version bumped, and `approval changed` emitted
 * on its loop in the same transaction.
 */
@Injectable()
export class ApprovalChangeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  async change(department: string, approvalId: string, request: ChangeRequest): Promise<Approval> {
    return this.dataSource.transaction(async (manager) => {
      const approval = await manager.findOne(Approval, { where: { id: approvalId }, lock: { mode: 'pessimistic_write' } });
      if (!approval) throw new NotFoundError('approval', approvalId);
      if (approval.approverDepartment !== department) {
        throw new ForbiddenError(
          ApprovalError.NOT_APPROVER_DEPARTMENT,
          `only ${approval.approverDepartment}, which decided approval ${approvalId}, may change it`,
        );
      }
      if (approval.outcome !== 'granted') {
        throw new DomainError(
          ApprovalError.APPROVAL_NOT_GRANTED,
          `approval ${approvalId} refused the application: there is nothing to ${request.change.replace(/_/g, ' ')}`,
        );
      }
      if (approval.publicationStatus === 'held') {
        throw new DomainError(
          ApprovalError.APPROVAL_HELD,
          `approval ${approvalId} is held while the entity has an open enforcement case: it cannot be changed before it is released`,
          409,
        );
      }
      if (!request.allowedLicenceStates.includes(approval.licenceStatus)) {
        throw new DomainError(
          ApprovalError.APPROVAL_NOT_CHANGEABLE,
          `approval ${approvalId} cannot be ${request.change.replace(/_/g, ' ')}: its licence is ${approval.licenceStatus} (allowed: ${request.allowedLicenceStates.join(', ')})`,
          409,
        );
      }
      await request.apply(approval, manager);
      approval.version += 1;
      approval.lastChange = request.change;
      approval.stillSupervised = request.change === 'cancelled' ? (request.stillSupervised ?? false) : approval.stillSupervised;
      await writeApproval(manager, approval);
      await this.outbox.add(manager, ApprovalChangedV1, {
        subject: approval.uscc,
        correlationId: approval.correlationId,
        data: {
          approvalId: approval.id,
          version: approval.version,
          change: request.change,
          uscc: approval.uscc,
          entityName: approval.entityName,
          itemCode: approval.itemCode,
          regionCode: approval.regionCode,
          approverDepartment: approval.approverDepartment,
          kind: approval.kind,
          ...(approval.licenceNumber ? { licenceNumber: approval.licenceNumber } : {}),
          ...(approval.validUntil ? { validUntil: approval.validUntil.toISOString() } : {}),
          stillSupervised: request.change === 'cancelled' ? (request.stillSupervised ?? false) : true,
          reason: request.reason,
          changedAt: new Date().toISOString(),
        },
      });
      return approval;
    });
  }
}
