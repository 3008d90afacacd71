import { Injectable } from '@nestjs/common';
import { CaseWithDecision, CaseWorkflow } from '../case-workflow.service';
import type { ServeDecisionRequest } from './serve-decision.request.dto';

/** decided → served. */
@Injectable()
export class ServeDecisionService {
  constructor(private readonly workflow: CaseWorkflow) {}

  serve(caseId: string, department: string, request: ServeDecisionRequest): Promise<CaseWithDecision> {
    return this.workflow.dataSource.transaction(async (manager) => {
      const enforcementCase = await this.workflow.lockOwn(manager, caseId, department);
      await this.workflow.move(manager, enforcementCase, 'served', { department, person: request.servedBy }, 'decision_served', {
        method: request.method,
        receipt: request.receipt ?? null,
      });
      return { enforcementCase, decision: await this.workflow.decisionOf(manager, caseId) };
    });
  }
}
