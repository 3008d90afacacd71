import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { insertRows } from '@backbone/platform';
import { RecordLicenceService } from '../../registrations/record-licence.service';
import { ApprovalRouting } from '../../routing/approval-routing.service';
import { ApprovalSeen, StoredApproval, SupervisionTask } from '../supervision-task.entity';

/** A decided approval from one event: its outcome, loop and the event's id (what the task's events are caused by). */
export interface DecidedApproval {
  approval: StoredApproval;
  outcome: string;
  correlationId: string;
  eventId: string;
}

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
    await this.recordSeen(manager, [{ approval, outcome }]);
    if (outcome !== 'granted') return null;
    await this.licences.licenceGranted(manager, approval);
    return this.routing.routeDecided(manager, approval, correlationId);
  }

  /**
   * Decided approvals of one batch, in their order, with the effects of `approvalDecided` one by one
   * (ADR 0027): seen in one statement, the notifications their licences settle in one, the granted ones
   * routed together (ApprovalRouting.routeDecidedMany).
   */
  async approvalsDecided(manager: EntityManager, decided: DecidedApproval[]): Promise<void> {
    await this.recordSeen(manager, decided);
    const granted = decided.filter(({ outcome }) => outcome === 'granted');
    await this.licences.licencesGranted(
      manager,
      granted.map(({ approval }) => approval),
    );
    await this.routing.routeDecidedMany(
      manager,
      granted.map(({ approval, correlationId, eventId }) => ({ approval, correlationId, origin: { correlationId, causationId: eventId } })),
    );
  }

  /** Records that decided approvals were seen (once per approval: the first one seen stays). */
  private async recordSeen(manager: EntityManager, decided: Array<Pick<DecidedApproval, 'approval' | 'outcome'>>): Promise<void> {
    if (decided.length === 0) return;
    // Every column given, seen_at too: the insert needs no RETURNING, nothing is read back (ADR 0101).
    const seenAt = new Date();
    await insertRows(
      manager,
      ApprovalSeen,
      decided.map(({ approval, outcome }) =>
        Object.assign(new ApprovalSeen(), {
          approvalId: approval.approvalId,
          version: approval.version,
          uscc: approval.uscc,
          itemCode: approval.itemCode,
          regionCode: approval.regionCode,
          kind: approval.kind,
          approverDepartment: approval.approverDepartment,
          outcome,
          decidedAt: new Date(approval.decidedAt),
          seenAt,
        }),
      ),
      { onConflictDoNothing: true },
    );
  }
}
