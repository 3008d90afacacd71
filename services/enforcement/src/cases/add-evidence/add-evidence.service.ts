import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@backbone/platform';
import { CaseEvidence } from '../case-evidence.entity';
import { CaseWithDecision, CaseWorkflow } from '../case-workflow.service';
import type { AddEvidenceRequest } from './add-evidence.request.dto';
import { EnforcementError } from '../../enforcement.errors';

/** An evidence item, only while the case is being investigated; recorded with its reference. */
@Injectable()
export class AddEvidenceService {
  constructor(private readonly workflow: CaseWorkflow) {}

  add(caseId: string, department: string, request: AddEvidenceRequest): Promise<CaseWithDecision & { evidence: CaseEvidence }> {
    return this.workflow.dataSource.transaction(async (manager) => {
      const enforcementCase = await this.workflow.lockOwn(manager, caseId, department);
      if (enforcementCase.status !== 'investigating') {
        throw new DomainError(
          EnforcementError.CASE_NOT_INVESTIGATING,
          `evidence is collected while a case is investigating; case ${caseId} is ${enforcementCase.status}`,
          409,
          {
            status: enforcementCase.status,
          },
        );
      }
      const evidence = manager.create(CaseEvidence, { id: randomUUID(), caseId, ...request, collectedAt: new Date() });
      await manager.insert(CaseEvidence, evidence);
      await this.workflow.caseLog.append(manager, enforcementCase, {
        kind: 'evidence_added',
        department,
        person: request.collectedBy,
        at: evidence.collectedAt,
        detail: { evidenceId: evidence.id, description: request.description, reference: request.reference },
      });
      return { enforcementCase, decision: null, evidence };
    });
  }
}
