import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommitmentVerifiedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError, ForbiddenError, NotFoundError } from '@backbone/platform';
import { SupervisionTask } from '../../tasks/supervision-task.entity';
import { CommitmentVerification } from '../commitment-verification.entity';
import type { RecordVerificationRequest } from './record-verification.request.dto';
import { SupervisionError } from '../../supervision.errors';

/**
 * The supervising department (the task's, as it stands) records the result of verifying a commitment:
 * CommitmentVerifiedV1 goes to the approver (a breach revokes the licence) and to credit. Once only.
 */
@Injectable()
export class RecordVerificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  record(id: string, department: string, request: RecordVerificationRequest) {
    return this.dataSource.transaction(async (manager) => {
      const verification = await manager.findOne(CommitmentVerification, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!verification) throw new NotFoundError('commitment verification', id);
      const task = verification.taskId ? await manager.findOneBy(SupervisionTask, { id: verification.taskId }) : null;
      if (!task || task.assignedDepartment !== department) {
        throw new ForbiddenError(
          SupervisionError.NOT_SUPERVISING_DEPARTMENT,
          `commitment verification ${id} belongs to ${task?.assignedDepartment ?? 'no department yet'}, not to ${department}`,
        );
      }
      if (verification.verifiedAt) {
        throw new DomainError(
          SupervisionError.COMMITMENT_ALREADY_VERIFIED,
          `commitment verification ${id} was recorded as ${verification.outcome} at ${verification.verifiedAt.toISOString()}`,
          409,
        );
      }
      const now = new Date();
      verification.outcome = request.outcome;
      verification.findings = request.findings;
      verification.verifiedBy = department;
      verification.verifiedAt = now;
      await manager.save(verification);
      await this.outbox.add(manager, CommitmentVerifiedV1, {
        subject: verification.uscc,
        correlationId: verification.correlationId,
        data: {
          verificationId: verification.id,
          approvalId: verification.approvalId,
          uscc: verification.uscc,
          itemCode: verification.itemCode,
          department,
          outcome: request.outcome,
          findings: request.findings,
          verifiedAt: now.toISOString(),
        },
      });
      return verification;
    });
  }
}
