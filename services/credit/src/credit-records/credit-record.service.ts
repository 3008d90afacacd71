import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CreditRedListChangedV1, CreditStatusChangedV1, EventClass } from '@backbone/contracts';
import { CreditConfig } from '../credit.config';
import { CONDUCT_KINDS, CreditEntry, CreditEntryKind, CreditFactDetail, ListEntryFact } from './credit-entry.entity';
import { CreditRecord } from './credit-record.entity';
import { creditStanding, CreditStanding, listEntriesFor, nextReviewAt } from './credit-standing.rules';
import { listRule } from '../credit-rules/credit-rules.config';

export interface NewFact {
  kind: CreditEntryKind;
  /** Unique per fact: the source event id, or an id derived from the decision that made it. */
  sourceEventId: string;
  correlationId: string;
  occurredAt: Date;
  detail: CreditFactDetail;
}

/**
 * Emits an event about the entity in the caller's transaction (context.emit in a handler, the outbox in
 * REST): CreditStatusChangedV1, CreditRedListChangedV1.
 */
export type EmitStatus = <T extends object>(type: EventClass<T>, data: T) => Promise<unknown>;

const MAX_EVENT_FACTS = 100;

/**
 * Every write to a credit record goes through here, inside the caller's transaction: lock the
 * entity's record row, append facts (and the list entries they call for), recompute the standing,
 * and emit CreditStatusChangedV1 when tier, lists or measures changed, CreditRedListChangedV1 when the
 * entity entered or left the red list.
 */
@Injectable()
export class CreditRecordService {
  constructor(private readonly config: CreditConfig) {}

  get rules() {
    return this.config.rules;
  }

  /** Takes the entity's lock (creating its record row, tier A, on first use). */
  async lock(manager: EntityManager, uscc: string): Promise<CreditRecord> {
    await manager.query(
      `INSERT INTO credit_record (uscc, tier, score, lists, measures, version, updated_at) VALUES ($1, 'A', 0, '{}', '{}', 0, now())
       ON CONFLICT (uscc) DO NOTHING`,
      [uscc],
    );
    return manager.getRepository(CreditRecord).findOneOrFail({ where: { uscc }, lock: { mode: 'pessimistic_write' } });
  }

  async entries(manager: EntityManager, uscc: string): Promise<CreditEntry[]> {
    return manager.getRepository(CreditEntry).find({ where: { uscc }, order: { occurredAt: 'ASC', id: 'ASC' } });
  }

  /** Appends one fact; null when a fact from the same source was recorded before. */
  async append(manager: EntityManager, uscc: string, fact: NewFact): Promise<CreditEntry | null> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(CreditEntry)
      .values({ uscc, ...fact })
      .orIgnore()
      .returning('*')
      .execute();
    const row = (result.raw as Array<Record<string, unknown>>)[0];
    if (!row) return null;
    return manager.getRepository(CreditEntry).findOneByOrFail({ id: String(row.id) });
  }

  /**
   * A conduct fact arrived (penalty, inspection, commitment): record it, put the entity on the lists
   * the entry rules call for, recompute. A fact recorded before changes nothing.
   */
  async recordConductFact(manager: EntityManager, uscc: string, fact: NewFact, emit: EmitStatus): Promise<CreditEntry | null> {
    if (!CONDUCT_KINDS.includes(fact.kind)) throw new Error(`${fact.kind} is not a conduct fact`);
    await this.lock(manager, uscc);
    const entry = await this.append(manager, uscc, fact);
    if (!entry) return null;
    for (const call of listEntriesFor(fact.kind, fact.detail, this.rules)) {
      const detail: ListEntryFact = {
        list: call.list,
        ruleId: call.ruleId,
        reason: call.reason,
        triggerEntryId: entry.id,
        measures: listRule(this.rules, call.list).measures,
      };
      await this.append(manager, uscc, {
        kind: 'list_entry',
        sourceEventId: `list-entry:${call.list}:${fact.sourceEventId}`,
        correlationId: fact.correlationId,
        occurredAt: fact.occurredAt,
        detail,
      });
    }
    await this.recompute(manager, uscc, emit);
    return entry;
  }

  /**
   * Recomputes the standing as of now; stores and emits it when tier, lists or measures changed.
   * Also stores when time alone may next change it, for the refresh scheduler.
   */
  async recompute(manager: EntityManager, uscc: string, emit: EmitStatus, now = new Date()): Promise<CreditStanding> {
    const record = await this.lock(manager, uscc);
    const entries = await this.entries(manager, uscc);
    const standing = creditStanding(entries, now, this.rules);
    const nextReview = nextReviewAt(entries, standing, this.rules);
    const changed =
      record.tier !== standing.tier ||
      record.lists.join(',') !== standing.lists.join(',') ||
      record.measures.join(',') !== standing.measures.join(',');
    const redListChanged = record.redList !== standing.redList.onRedList;
    if (!changed && !redListChanged && record.score === standing.score) {
      if (record.nextReviewAt?.getTime() !== nextReview?.getTime())
        await manager.getRepository(CreditRecord).update({ uscc }, { nextReviewAt: nextReview });
      return standing;
    }
    await manager.getRepository(CreditRecord).update(
      { uscc },
      {
        tier: standing.tier,
        score: standing.score,
        lists: standing.lists,
        measures: standing.measures,
        redList: standing.redList.onRedList,
        version: record.version + 1,
        updatedAt: now,
        nextReviewAt: nextReview,
      },
    );
    if (redListChanged) {
      await emit(CreditRedListChangedV1, {
        uscc,
        onRedList: standing.redList.onRedList,
        incentives: standing.redList.incentives,
        reason: standing.redList.reason.slice(0, 500),
        effectiveAt: now.toISOString(),
      });
    }
    if (changed) {
      await emit(CreditStatusChangedV1, {
        uscc,
        tier: standing.tier,
        previousTier: record.tier,
        lists: standing.lists,
        measures: standing.measures,
        facts: standing.reasons.slice(0, MAX_EVENT_FACTS).map((reason) => ({
          kind: reason.kind,
          description: reason.description.slice(0, 500),
          ...(reason.sourceEventId && reason.sourceEventId.length <= 100 ? { sourceEventId: reason.sourceEventId } : {}),
        })),
        effectiveAt: now.toISOString(),
      });
    }
    return standing;
  }
}
