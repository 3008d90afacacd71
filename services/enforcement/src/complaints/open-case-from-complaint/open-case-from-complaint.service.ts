import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Outbox } from '@backbone/messaging';
import { CaseWorkflow, outboxEmit } from '../../cases/case-workflow.service';
import type { EnforcementCase } from '../../cases/enforcement-case.entity';
import { lockOwnComplaint } from '../complaint-access';
import { Complaint } from '../complaint.entity';
import { transition } from '../complaint.rules';
import type { OpenCaseFromComplaintRequest } from './open-case-from-complaint.request.dto';

/** A registered or accepted complaint opens a case (once), which accepts it. The complainant is not written into the case record. */
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
      const next = transition(complaint, 'open_case');
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
      complaint.status = next;
      complaint.caseId = enforcementCase.id;
      complaint.acceptedAt ??= new Date();
      complaint.acceptedBy ??= request.openedBy;
      await manager.save(complaint);
      return { complaint, enforcementCase };
    });
  }
}
