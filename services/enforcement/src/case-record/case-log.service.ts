import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { EnforcementCase } from '../cases/enforcement-case.entity';
import { PenaltyDecision } from '../cases/penalty-decision.entity';
import { CaseLogAnchor, CaseLogEntry } from './case-log-entry.entity';
import { ChainVerification, entryHash, ExpectedHead, GENESIS_HASH, verifyChain } from './hash-chain';

export interface CaseStep {
  kind: string;
  department: string;
  person?: string | null;
  detail?: Record<string, unknown>;
  at?: Date;
}

/**
 * Writes and verifies the full-process record of a case. Appends happen in the transaction of the step
 * they record, with the case row locked (every use case locks it first), so seq numbers never race.
 */
@Injectable()
export class CaseLog {
  /** Appends one step; moves the case's head (the caller saves the case). */
  async append(manager: EntityManager, enforcementCase: EnforcementCase, step: CaseStep): Promise<CaseLogEntry> {
    const seq = (enforcementCase.logHeadSeq ?? 0) + 1;
    const prevHash = enforcementCase.logHeadHash ?? GENESIS_HASH;
    const facts = {
      caseId: enforcementCase.id,
      seq,
      kind: step.kind,
      department: step.department,
      person: step.person ?? null,
      at: step.at ?? new Date(),
      detail: JSON.parse(JSON.stringify(step.detail ?? {})) as Record<string, unknown>,
    };
    const entry = manager.create(CaseLogEntry, { ...facts, prevHash, hash: entryHash(facts, prevHash) });
    await manager.insert(CaseLogEntry, entry as QueryDeepPartialEntity<CaseLogEntry>);
    enforcementCase.logHeadSeq = seq;
    enforcementCase.logHeadHash = entry.hash;
    await manager.update(EnforcementCase, { id: enforcementCase.id }, { logHeadSeq: seq, logHeadHash: entry.hash });
    return entry;
  }

  /** Anchors the current head in the insert-only anchor table. */
  async anchor(manager: EntityManager, enforcementCase: EnforcementCase, reason: string): Promise<void> {
    await manager.insert(CaseLogAnchor, {
      caseId: enforcementCase.id,
      seq: enforcementCase.logHeadSeq ?? 0,
      hash: enforcementCase.logHeadHash ?? GENESIS_HASH,
      reason,
      anchoredAt: new Date(),
    });
  }

  entries(manager: EntityManager, caseId: string): Promise<CaseLogEntry[]> {
    return manager.find(CaseLogEntry, { where: { caseId }, order: { seq: 'ASC' } });
  }

  /** The record checked against itself and against every place its head was anchored. */
  async verify(manager: EntityManager, enforcementCase: EnforcementCase): Promise<ChainVerification> {
    // seq is inside each hash: entries moved to other places break their hashes and links.
    const entries = await manager.query<Array<Record<string, unknown>>>(
      `SELECT case_id, seq, kind, department, person, at, detail, prev_hash, hash FROM case_log_entry WHERE case_id = $1 ORDER BY seq`,
      [enforcementCase.id],
    );
    const chained = entries.map((row) => ({
      caseId: row.case_id as string,
      seq: row.seq as number,
      kind: row.kind as string,
      department: row.department as string,
      person: row.person as string | null,
      at: row.at as Date,
      detail: row.detail as Record<string, unknown>,
      prevHash: row.prev_hash as string,
      hash: row.hash as string,
    }));
    const heads: ExpectedHead[] = [];
    if ((enforcementCase.logHeadSeq ?? 0) > 0 && enforcementCase.logHeadHash) {
      heads.push({ seq: enforcementCase.logHeadSeq ?? 0, hash: enforcementCase.logHeadHash, source: 'the case head' });
    }
    const anchors = await manager.find(CaseLogAnchor, { where: { caseId: enforcementCase.id }, order: { id: 'ASC' } });
    for (const anchor of anchors) heads.push({ seq: anchor.seq, hash: anchor.hash, source: `the ${anchor.reason} anchor` });
    const decision = await manager.findOneBy(PenaltyDecision, { caseId: enforcementCase.id });
    if (decision?.logHeadHash)
      heads.push({ seq: decision.logHeadSeq ?? 0, hash: decision.logHeadHash, source: `decision ${decision.decisionNumber}` });
    const verification = verifyChain(chained, heads);
    // The record must also reach the case's head: entries beyond it would be forged appends.
    if (chained.length > (enforcementCase.logHeadSeq ?? 0)) {
      verification.problems.push({
        seq: chained.length,
        problem: 'gap',
        detail: `the record has ${chained.length} entries, the case head says ${enforcementCase.logHeadSeq}`,
      });
      verification.valid = false;
    }
    return verification;
  }
}
