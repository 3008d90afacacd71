import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CaseClosedV1, CaseCloseOutcome, CaseOpenedV1, EventClass } from '@backbone/contracts';
import { InboxContext, Outbox } from '@backbone/messaging';
import { NotFoundError } from '@backbone/platform';
import { CaseLog } from '../case-record/case-log.service';
import { assertCaseDepartment, assertTransition, CaseStatus } from './case-state';
import { CaseSource, EnforcementCase } from './enforcement-case.entity';
import { PenaltyDecision } from './penalty-decision.entity';

/** How a use case publishes: `outbox.add` in a REST transaction, `context.emit` in an event handler. */
export type Emit = <T extends object>(eventClass: EventClass<T>, subject: string, data: T) => Promise<unknown>;

/** `Emit` over the outbox, in a REST transaction, on the case's loop. */
export function outboxEmit(outbox: Outbox, manager: EntityManager, correlationId: string): Emit {
  return (eventClass, subject, data) => outbox.add(manager, eventClass, { subject, data, correlationId });
}

/** `Emit` from an event handler: the caused events carry the handled event's ids. */
export function contextEmit(context: InboxContext): Emit {
  return (eventClass, subject, data) => context.emit(eventClass, { subject, data });
}

export interface NewCase {
  uscc: string;
  correlationId: string;
  department: string;
  violationCodes: string[];
  source: CaseSource;
  sourceKey: string | null;
  approvalId?: string | null;
  inspectionId?: string | null;
}

export interface Actor {
  department: string;
  person?: string | null;
}

export interface CaseWithDecision {
  enforcementCase: EnforcementCase;
  decision: PenaltyDecision | null;
}

/**
 * The moves every use case shares: open a case (CaseOpenedV1 and the first record entry), lock one
 * for a step of its department, move it along the transition table with a record entry, close it
 * (CaseClosedV1 and an anchor). All within the caller's transaction.
 */
@Injectable()
export class CaseWorkflow {
  constructor(
    readonly dataSource: DataSource,
    readonly caseLog: CaseLog,
  ) {}

  /** Opens a case, unless its source already opened one (then null). */
  async open(
    manager: EntityManager,
    init: NewCase,
    actor: Actor,
    detail: Record<string, unknown>,
    emit: Emit,
  ): Promise<EnforcementCase | null> {
    if (init.sourceKey && (await manager.existsBy(EnforcementCase, { sourceKey: init.sourceKey }))) return null;
    const enforcementCase = Object.assign(new EnforcementCase(), {
      id: randomUUID(),
      correlationId: init.correlationId,
      uscc: init.uscc,
      approvalId: init.approvalId ?? null,
      inspectionId: init.inspectionId ?? null,
      department: init.department,
      status: 'opened' as const,
      violationCodes: [...new Set(init.violationCodes)],
      openedAt: new Date(),
      decidedAt: null,
      source: init.source,
      sourceKey: init.sourceKey,
      investigator: null,
      closedAt: null,
      closeOutcome: null,
      transferredTo: null,
      logHeadSeq: 0,
      logHeadHash: null,
    } satisfies EnforcementCase);
    await manager.insert(EnforcementCase, enforcementCase);
    await this.caseLog.append(manager, enforcementCase, {
      kind: 'opened',
      department: actor.department,
      person: actor.person,
      at: enforcementCase.openedAt,
      detail: {
        source: init.source,
        sourceKey: init.sourceKey,
        caseDepartment: init.department,
        violationCodes: enforcementCase.violationCodes,
        ...detail,
      },
    });
    await emit(CaseOpenedV1, enforcementCase.uscc, {
      caseId: enforcementCase.id,
      uscc: enforcementCase.uscc,
      ...(enforcementCase.approvalId ? { approvalId: enforcementCase.approvalId } : {}),
      ...(enforcementCase.inspectionId ? { inspectionId: enforcementCase.inspectionId } : {}),
      department: enforcementCase.department,
      violationCodes: enforcementCase.violationCodes,
    });
    return enforcementCase;
  }

  /** The case, locked for this transaction, if it is the caller's department's. */
  async lockOwn(manager: EntityManager, caseId: string, department: string): Promise<EnforcementCase> {
    const enforcementCase = await this.lock(manager, caseId);
    assertCaseDepartment(enforcementCase, department);
    return enforcementCase;
  }

  async lock(manager: EntityManager, caseId: string): Promise<EnforcementCase> {
    // The lock orders concurrent steps on one case (and the appends to its record).
    const enforcementCase = await manager.findOne(EnforcementCase, { where: { id: caseId }, lock: { mode: 'pessimistic_write' } });
    if (!enforcementCase) throw new NotFoundError('case', caseId);
    return enforcementCase;
  }

  /** Moves the case to `to` if the table allows it, and records the step. */
  async move(
    manager: EntityManager,
    enforcementCase: EnforcementCase,
    to: CaseStatus,
    actor: Actor,
    kind: string,
    detail: Record<string, unknown> = {},
  ): Promise<void> {
    assertTransition(enforcementCase, to);
    const from = enforcementCase.status;
    enforcementCase.status = to;
    await manager.update(EnforcementCase, { id: enforcementCase.id }, { status: to });
    await this.caseLog.append(manager, enforcementCase, {
      kind,
      department: actor.department,
      person: actor.person,
      detail: { from, to, ...detail },
    });
  }

  /** Closes the case (closed or transferred), anchors its record and tells the others (lifts holds on approvals). */
  async close(
    manager: EntityManager,
    enforcementCase: EnforcementCase,
    to: 'closed' | 'transferred',
    outcome: CaseCloseOutcome,
    actor: Actor,
    kind: string,
    detail: Record<string, unknown>,
    emit: Emit,
  ): Promise<void> {
    assertTransition(enforcementCase, to);
    const closedAt = new Date();
    enforcementCase.closedAt = closedAt;
    enforcementCase.closeOutcome = outcome;
    await manager.update(
      EnforcementCase,
      { id: enforcementCase.id },
      { closedAt, closeOutcome: outcome, status: to, transferredTo: enforcementCase.transferredTo ?? null },
    );
    const from = enforcementCase.status;
    enforcementCase.status = to;
    await this.caseLog.append(manager, enforcementCase, {
      kind,
      department: actor.department,
      person: actor.person,
      at: closedAt,
      detail: { from, to, outcome, ...detail },
    });
    await this.caseLog.anchor(manager, enforcementCase, kind);
    await emit(CaseClosedV1, enforcementCase.uscc, {
      caseId: enforcementCase.id,
      uscc: enforcementCase.uscc,
      department: enforcementCase.department,
      outcome,
      closedAt: closedAt.toISOString(),
    });
  }

  decisionOf(manager: EntityManager, caseId: string): Promise<PenaltyDecision | null> {
    return manager.findOneBy(PenaltyDecision, { caseId });
  }
}
