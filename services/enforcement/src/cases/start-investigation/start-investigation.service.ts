import { Injectable } from '@nestjs/common';
import { EnforcementCase } from '../enforcement-case.entity';
import { CaseWithDecision, CaseWorkflow } from '../case-workflow.service';
import type { StartInvestigationRequest } from './start-investigation.request.dto';

/** opened → investigating, naming the investigator (who may not later review the decision). */
@Injectable()
export class StartInvestigationService {
  constructor(private readonly workflow: CaseWorkflow) {}

  start(caseId: string, department: string, request: StartInvestigationRequest): Promise<CaseWithDecision> {
    return this.workflow.dataSource.transaction(async (manager) => {
      const enforcementCase = await this.workflow.lockOwn(manager, caseId, department);
      await this.workflow.move(
        manager,
        enforcementCase,
        'investigating',
        { department, person: request.investigator },
        'investigation_started',
      );
      enforcementCase.investigator = request.investigator;
      await manager.update(EnforcementCase, { id: caseId }, { investigator: request.investigator });
      return { enforcementCase, decision: null };
    });
  }
}
