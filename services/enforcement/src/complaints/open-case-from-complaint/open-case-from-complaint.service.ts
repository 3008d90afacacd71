import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Outbox } from '@backbone/messaging';
import { DomainError } from '@backbone/platform';
import { CaseWorkflow, outboxEmit } from '../../cases/case-workflow.service';
import type { EnforcementCase } from '../../cases/enforcement-case.entity';
import { lockOwnComplaint } from '../complaint-access';
import { Complaint } from '../complaint.entity';
import type { OpenCaseFromComplaintRequest } from './open-case-from-complaint.request.dto';
import { EnforcementError } from '../../enforcement.errors';

/** A registered complaint opens a case (once). The complainant is not written into the case record. */
@Injectable()
export class OpenCaseFromComplaintService {
  constructor(
    private readonly workflow: CaseWorkflow,
    private readonly outbox: Outbox,
  ) {}

  open(
    complaintId: string,
    department: string,
    request: OpenCaseFromComplaintRequest,
  ): Promise<{ complaint: Complaint; enforcementCase: EnforcementCase }> {
    return this.workflow.dataSource.transaction(async (manager) => {
      const complaint = await lockOwnComplaint(manager, complaintId, department);
      if (complaint.status !== 'registered') {
        throw new DomainError(
          EnforcementError.COMPLAINT_NOT_REGISTERED,
          `complaint ${complaintId} is ${complaint.status}: a case is opened from a registered complaint`,
          409,
        );
      }
      const correlationId = randomUUID();
      const enforcementCase = (await this.workflow.open(
        manager,
        {
          correlationId,
          uscc: complaint.uscc,
          department,
          violationCodes: request.violationCodes,
          source: 'complaint',
          sourceKey: `complaint:${complaint.id}`,
        },
        { department, person: request.openedBy },
        { complaintId: complaint.id, registeredAt: complaint.registeredAt.toISOString() },
        outboxEmit(this.outbox, manager, correlationId),
      )) as EnforcementCase;
      complaint.status = 'case_opened';
      complaint.caseId = enforcementCase.id;
      await manager.save(complaint);
      return { complaint, enforcementCase };
    });
  }
}
