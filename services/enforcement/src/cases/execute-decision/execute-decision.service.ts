import { Injectable } from '@nestjs/common';
import { CaseWithDecision, CaseWorkflow } from '../case-workflow.service';
import type { ExecuteDecisionRequest } from './execute-decision.request.dto';

/** served → executed. */
@Injectable()
export class ExecuteDecisionService {
  constructor(private readonly workflow: CaseWorkflow) {}

  execute(caseId: string, department: string, request: ExecuteDecisionRequest): Promise<CaseWithDecision> {
    return this.workflow.dataSource.transaction(async (manager) => {
      const enforcementCase = await this.workflow.lockOwn(manager, caseId, department);
      await this.workflow.move(manager, enforcementCase, 'executed', { department, person: request.confirmedBy }, 'decision_executed', {
        note: request.note,
      });
      return { enforcementCase, decision: await this.workflow.decisionOf(manager, caseId) };
    });
  }
}
