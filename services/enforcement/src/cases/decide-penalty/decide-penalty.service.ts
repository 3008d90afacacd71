import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PenaltyDecidedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { NotFoundError } from '@backbone/platform';
import { assertDecidable } from '../case-state';
import { EnforcementCase } from '../enforcement-case.entity';
import { LicenceAction, Penalty, PenaltyDecision } from '../penalty-decision.entity';
import type { DecidePenaltyRequest } from './decide-penalty.request.dto';

export interface DecidePenaltyResult {
  enforcementCase: EnforcementCase;
  decision: PenaltyDecision;
}

/**
 * Decides the penalty on an open case and, in the same transaction, emits `penalty decided` in the
 * case's loop: back to the approver (licence action) and into the credit record.
 */
@Injectable()
export class DecidePenaltyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  decide(caseId: string, department: string, request: DecidePenaltyRequest): Promise<DecidePenaltyResult> {
    return this.dataSource.transaction(async (manager) => {
      // The lock orders concurrent decisions on one case: the second sees 'decided' and is refused.
      const enforcementCase = await manager.findOne(EnforcementCase, { where: { id: caseId }, lock: { mode: 'pessimistic_write' } });
      if (!enforcementCase) throw new NotFoundError('case', caseId);
      assertDecidable(enforcementCase, department);

      const decidedAt = new Date();
      const decision = manager.create(PenaltyDecision, {
        id: randomUUID(),
        caseId: enforcementCase.id,
        decisionNumber: request.decisionNumber,
        penalties: request.penalties.map(toPenalty),
        licenceAction: request.licenceAction ? toLicenceAction(request.licenceAction) : null,
        decidedBy: department,
        decidedAt,
      });
      await manager.insert(PenaltyDecision, decision);
      enforcementCase.status = 'decided';
      enforcementCase.decidedAt = decidedAt;
      await manager.save(enforcementCase);

      await this.outbox.add(manager, PenaltyDecidedV1, {
        subject: enforcementCase.uscc,
        correlationId: enforcementCase.correlationId,
        data: {
          caseId: enforcementCase.id,
          decisionId: decision.id,
          uscc: enforcementCase.uscc,
          ...(enforcementCase.approvalId ? { approvalId: enforcementCase.approvalId } : {}),
          department: enforcementCase.department,
          decisionNumber: decision.decisionNumber,
          penalties: decision.penalties,
          ...(decision.licenceAction ? { licenceAction: decision.licenceAction } : {}),
          decidedAt: decidedAt.toISOString(),
        },
      });
      return { enforcementCase, decision };
    });
  }
}

/** Plain JSON of what was decided: no request-class instances or undefined fields in jsonb or the event. */
function toPenalty({ kind, amount }: Penalty): Penalty {
  return amount === undefined ? { kind } : { kind, amount };
}

function toLicenceAction({ action, until, reason }: LicenceAction): LicenceAction {
  return until === undefined ? { action, reason } : { action, until, reason };
}
