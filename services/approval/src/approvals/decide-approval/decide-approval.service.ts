import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { ApprovalDecidedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { Approval } from '../approval.entity';
import type { DecideApprovalRequest } from './decide-approval.request.dto';

export interface DecideApprovalResult {
  approval: Approval;
  /** False when the same application was posted before: the earlier approval is returned, nothing written. */
  created: boolean;
}

/**
 * Records an approval decision and, in the same transaction, the `approval decided` event that starts
 * the double push. Posting the same application number again changes nothing.
 */
@Injectable()
export class DecideApprovalService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  async decide(approverDepartment: string, request: DecideApprovalRequest): Promise<DecideApprovalResult> {
    const existing = await this.find(approverDepartment, request.applicationNumber);
    if (existing) return { approval: existing, created: false };
    try {
      const approval = await this.dataSource.transaction(async (manager) => {
        const granted = request.outcome === 'granted';
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
          decidedAt: request.decidedAt ? new Date(request.decidedAt) : new Date(),
          validUntil: request.validUntil ? new Date(request.validUntil) : null,
          supervisionStatus: 'awaiting_assignment',
          supervisingDepartment: null,
          taskId: null,
          claimedAt: null,
        });
        await manager.insert(Approval, approval);
        await this.outbox.add(manager, ApprovalDecidedV1, {
          subject: approval.uscc,
          correlationId: approval.correlationId,
          data: {
            approvalId: approval.id,
            version: approval.version,
            uscc: approval.uscc,
            entityName: approval.entityName,
            itemCode: approval.itemCode,
            regionCode: approval.regionCode,
            approverDepartment,
            kind: approval.kind,
            outcome: approval.outcome,
            ...(approval.licenceNumber ? { licenceNumber: approval.licenceNumber } : {}),
            decidedAt: approval.decidedAt.toISOString(),
            ...(approval.validUntil ? { validUntil: approval.validUntil.toISOString() } : {}),
          },
        });
        return approval;
      });
      return { approval, created: true };
    } catch (error) {
      // The same application posted twice at once: the other request won; return its approval.
      if (error instanceof QueryFailedError && (error as { code?: string }).code === '23505') {
        const winner = await this.find(approverDepartment, request.applicationNumber);
        if (winner) return { approval: winner, created: false };
      }
      throw error;
    }
  }

  private find(approverDepartment: string, applicationNumber: string): Promise<Approval | null> {
    return this.dataSource.getRepository(Approval).findOneBy({ approverDepartment, applicationNumber });
  }
}
