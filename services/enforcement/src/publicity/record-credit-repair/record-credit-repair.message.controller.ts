import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CreditRepairApprovedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { CaseLog } from '../../case-record/case-log.service';
import { CaseWorkflow } from '../../cases/case-workflow.service';
import { PenaltyDecision } from '../../cases/penalty-decision.entity';
import { EnforcementConfig } from '../../enforcement.config';
import { parseRepairedDecisionPublicity, publicityAfterRepair } from '../repaired-decision.rules';

/**
 * A credit repair granted at credit (CreditRepairApprovedV1) reaches the published decisions of the
 * penalties it covers: each is withdrawn from the public list or stays on it marked as repaired, by
 * severity (REPAIRED_DECISION_PUBLICITY, docs/domain.md §5), and the step is written into the case's
 * full-process record. A penalty this service did not decide (no such case) is not its to publish.
 */
@Controller()
export class RecordCreditRepairMessageController {
  constructor(
    private readonly workflow: CaseWorkflow,
    private readonly log: CaseLog,
    private readonly config: EnforcementConfig,
  ) {}

  @EventPattern(CreditRepairApprovedV1.type)
  async repaired(@Payload() event: CreditRepairApprovedV1, @Ctx() context: InboxContext) {
    const table = parseRepairedDecisionPublicity(this.config.REPAIRED_DECISION_PUBLICITY);
    const repairedAt = new Date(event.repairedAt);
    const caseIds = [...new Set(event.repaired.flatMap((entry) => (entry.kind === 'penalty' && entry.caseId ? [entry.caseId] : [])))];
    for (const caseId of caseIds.sort()) {
      const decision = await context.manager.findOneBy(PenaltyDecision, { caseId });
      if (!decision) continue;
      const enforcementCase = await this.workflow.lock(context.manager, caseId);
      const current = await context.manager.findOneByOrFail(PenaltyDecision, { id: decision.id });
      const action = publicityAfterRepair(current, repairedAt, table);
      if (action === 'none') continue;
      await context.manager.update(
        PenaltyDecision,
        { id: current.id },
        { repairId: event.repairId, repairedAt, ...(action === 'withdraw' ? { publicityWithdrawnAt: repairedAt } : {}) },
      );
      await this.log.append(context.manager, enforcementCase, {
        kind: action === 'withdraw' ? 'publicity_withdrawn' : 'publicity_annotated',
        department: event.decidedBy,
        at: repairedAt,
        detail: {
          decisionNumber: current.decisionNumber,
          repairId: event.repairId,
          severity: current.severity ?? null,
          eventId: context.envelope.id,
        },
      });
    }
  }
}
