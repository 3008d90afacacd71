import { Injectable } from '@nestjs/common';
import type { CaseCloseOutcome } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { CaseWithDecision, CaseWorkflow, outboxEmit } from '../case-workflow.service';
import type { CaseStatus } from '../case-state';
import type { CloseCaseRequest } from './close-case.request.dto';

/** The outcome a close from this state has: after execution, or without penalty before any decision. */
export function closeOutcome(from: CaseStatus): CaseCloseOutcome {
  return from === 'executed' ? 'executed' : 'no_penalty';
}

/** → closed (from executed, or without penalty from opened, investigating or under review); CaseClosedV1. */
@Injectable()
export class CloseCaseService {
  constructor(
    private readonly workflow: CaseWorkflow,
    private readonly outbox: Outbox,
  ) {}

  close(caseId: string, department: string, request: CloseCaseRequest): Promise<CaseWithDecision> {
    return this.workflow.dataSource.transaction(async (manager) => {
      const enforcementCase = await this.workflow.lockOwn(manager, caseId, department);
      await this.workflow.close(
        manager,
        enforcementCase,
        'closed',
        closeOutcome(enforcementCase.status),
        { department, person: request.closedBy },
        'closed',
        { reason: request.reason },
        outboxEmit(this.outbox, manager, enforcementCase.correlationId),
      );
      return { enforcementCase, decision: await this.workflow.decisionOf(manager, caseId) };
    });
  }
}
