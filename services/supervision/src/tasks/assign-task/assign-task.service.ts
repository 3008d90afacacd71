import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordLicenceService } from '../../registrations/record-licence.service';
import { ApprovalRouting } from '../../routing/approval-routing.service';
import { ApprovalSeen, StoredApproval, SupervisionTask } from '../supervision-task.entity';

/**
 * The first leg of the double push: a decided approval is recorded as seen (reconciliation counts the
 * granted ones); a granted one settles a double notification that waited for its licence and is routed
 * to the department that must supervise it, or into the supervision vacuum. Works in the caller's
 * (the inbox handler's) transaction.
 */
@Injectable()
export class AssignTaskService {
  constructor(
    private readonly routing: ApprovalRouting,
    private readonly licences: RecordLicenceService,
  ) {}

  async approvalDecided(
    manager: EntityManager,
    approval: StoredApproval,
    outcome: string,
    correlationId: string,
  ): Promise<SupervisionTask | null> {
    await this.recordSeen(manager, approval, outcome);
    if (outcome !== 'granted') return null;
    await this.licences.licenceGranted(manager, approval);
    return this.routing.routeDecided(manager, approval, correlationId);
  }

  /** Records that a decided approval was seen (once per approval). */
  private async recordSeen(manager: EntityManager, approval: StoredApproval, outcome: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ApprovalSeen)
      .values({
        approvalId: approval.approvalId,
        version: approval.version,
        uscc: approval.uscc,
        itemCode: approval.itemCode,
        regionCode: approval.regionCode,
        kind: approval.kind,
        approverDepartment: approval.approverDepartment,
        outcome,
        decidedAt: new Date(approval.decidedAt),
      })
      .orIgnore()
      .execute();
  }
}
