import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Outbox } from '@backbone/messaging';
import { CaseWorkflow, outboxEmit } from '../case-workflow.service';
import type { EnforcementCase } from '../enforcement-case.entity';
import type { OpenCaseRequest } from './open-case.request.dto';
import { assertKnownViolationCodes } from '../../benchmarks/known-violation-codes';

@Injectable()
export class OpenCaseService {
  constructor(
    private readonly workflow: CaseWorkflow,
    private readonly outbox: Outbox,
  ) {}

  open(department: string, request: OpenCaseRequest): Promise<EnforcementCase> {
    return this.workflow.dataSource.transaction(async (manager) => {
      await assertKnownViolationCodes(manager, request.violationCodes);
      const correlationId = randomUUID();
      const opened = await this.workflow.open(
        manager,
        {
          correlationId,
          uscc: request.uscc,
          approvalId: request.approvalId ?? null,
          department,
          violationCodes: request.violationCodes,
          source: 'manual',
          sourceKey: null,
        },
        { department, person: request.openedBy },
        { reason: request.reason },
        outboxEmit(this.outbox, manager, correlationId),
      );
      return opened as EnforcementCase;
    });
  }
}
