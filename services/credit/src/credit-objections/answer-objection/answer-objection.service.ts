import { Injectable } from '@nestjs/common';
import { CreditObjectionAnsweredV1 } from '@backbone/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { Outbox } from '@backbone/messaging';
import { DomainError, ForbiddenError, NotFoundError } from '@backbone/platform';
import { CreditConfig } from '../../credit.config';
import { CorrectionFact, CreditEntry, ListExitFact } from '../../credit-records/credit-entry.entity';
import { CreditRecordService } from '../../credit-records/credit-record.service';
import { creditStanding } from '../../credit-records/credit-standing.rules';
import { CreditObjection, OBJECTION_TRANSITIONS, ObjectionAction } from '../credit-objection.entity';
import type { AnswerObjectionRequest, HandleObjectionRequest } from './answer-objection.request.dto';
import { CreditError } from '../../credit.errors';

/**
 * A credit authority handles an objection and answers it. Upheld: a correction fact invalidates the
 * entry from the effective date (the entry and the correction both stay in the history), the list
 * entries it grounded exit, the tier is recomputed and published.
 */
@Injectable()
export class AnswerObjectionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: CreditRecordService,
    private readonly outbox: Outbox,
    private readonly config: CreditConfig,
  ) {}

  async handle(department: string, id: string, request: HandleObjectionRequest): Promise<CreditObjection> {
    return this.transition(department, id, 'handle', async (manager, objection) => {
      await manager
        .getRepository(CreditObjection)
        .update({ id: objection.id }, { status: 'handling', handledBy: department, handler: request.handler });
    });
  }

  async answer(department: string, id: string, request: AnswerObjectionRequest, now = new Date()): Promise<CreditObjection> {
    const action: ObjectionAction = request.outcome === 'upheld' ? 'uphold' : 'reject';
    return this.transition(department, id, action, async (manager, objection) => {
      let effectiveFrom: Date | null = null;
      if (request.outcome === 'upheld') effectiveFrom = await this.correct(manager, objection, request, now);
      await manager
        .getRepository(CreditObjection)
        .update(
          { id: objection.id },
          { status: OBJECTION_TRANSITIONS[action].to, answer: request.answer, answeredAt: now, effectiveFrom, handledBy: department },
        );
      await this.outbox.add(manager, CreditObjectionAnsweredV1, {
        subject: objection.uscc,
        correlationId: objection.correlationId,
        data: {
          objectionId: objection.id,
          uscc: objection.uscc,
          raisedBy: objection.raisedBy,
          outcome: request.outcome === 'upheld' ? 'upheld' : 'rejected',
          answeredBy: department,
          answeredAt: now.toISOString(),
        },
      });
    });
  }

  private async transition(
    department: string,
    id: string,
    action: ObjectionAction,
    apply: (manager: EntityManager, objection: CreditObjection) => Promise<void>,
  ): Promise<CreditObjection> {
    if (!this.config.isCreditAuthority(department)) {
      throw new ForbiddenError(
        CreditError.NOT_CREDIT_AUTHORITY,
        `${department} is not a credit authority department: only those handle objections`,
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const found = await manager.getRepository(CreditObjection).findOneBy({ id });
      if (!found) throw new NotFoundError('credit objection', id);
      await this.records.lock(manager, found.uscc);
      const objection = await manager.getRepository(CreditObjection).findOneByOrFail({ id });
      const transition = OBJECTION_TRANSITIONS[action];
      if (!transition.from.includes(objection.status)) {
        throw new DomainError(
          CreditError.OBJECTION_TRANSITION_NOT_ALLOWED,
          `objection ${objection.id} is ${objection.status}: ${action} needs it to be ${transition.from.join(' or ')}`,
          409,
          { status: objection.status, action },
        );
      }
      await apply(manager, objection);
      return manager.getRepository(CreditObjection).findOneByOrFail({ id });
    });
  }

  private async correct(manager: EntityManager, objection: CreditObjection, request: AnswerObjectionRequest, now: Date): Promise<Date> {
    const entry = await manager.getRepository(CreditEntry).findOneByOrFail({ id: objection.entryId });
    const effectiveFrom = request.effectiveFrom ? new Date(request.effectiveFrom) : now;
    if (effectiveFrom.getTime() > now.getTime() || effectiveFrom.getTime() < entry.occurredAt.getTime()) {
      throw new DomainError(
        CreditError.EFFECTIVE_FROM_OUT_OF_RANGE,
        `effectiveFrom must lie between the entry's date (${entry.occurredAt.toISOString()}) and now`,
        400,
        { field: 'effectiveFrom' },
      );
    }
    const standing = creditStanding(await this.records.entries(manager, objection.uscc), now, this.records.rules);
    const state = standing.states.find((s) => s.entry.id === entry.id);
    if (state?.invalidatedBy) throw new DomainError(CreditError.ENTRY_ALREADY_CORRECTED, `entry ${entry.id} was corrected before`, 409);
    const base = { correlationId: objection.correlationId, occurredAt: effectiveFrom };
    const correction: CorrectionFact = { objectionId: objection.id, invalidatedEntryId: entry.id, answer: request.answer };
    await this.records.append(manager, objection.uscc, {
      ...base,
      kind: 'correction',
      sourceEventId: `correction:${objection.id}`,
      detail: correction,
    });
    // The list entries this entry grounded (or the entry itself, when it is one) leave their lists.
    const exits = standing.listEntries.filter((active) => active.entryId === entry.id || active.triggerEntryId === entry.id);
    for (const active of exits) {
      const exit: ListExitFact = { list: active.list, listEntryId: active.entryId, reason: 'objection_upheld', objectionId: objection.id };
      await this.records.append(manager, objection.uscc, {
        ...base,
        kind: 'list_exit',
        sourceEventId: `list-exit:${active.entryId}`,
        detail: exit,
      });
    }
    await this.records.recompute(
      manager,
      objection.uscc,
      (type, data) => this.outbox.add(manager, type, { subject: objection.uscc, correlationId: objection.correlationId, data }),
      now,
    );
    return effectiveFrom;
  }
}
