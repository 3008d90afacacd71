import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { PenaltyDecidedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError } from '@backbone/platform';
import { checkDiscretion, DiscretionOutcome, Severity } from '../../benchmarks/discretion';
import { DiscretionBenchmark } from '../../benchmarks/discretion-benchmark.entity';
import { canonicalJson } from '../../case-record/hash-chain';
import { EnforcementConfig, publicationDays } from '../../enforcement.config';
import { LegalReview } from '../../legal-review/legal-review.entity';
import { majorDecisionReasons } from '../../legal-review/major-decision';
import { assertDecidable } from '../case-state';
import { CaseWorkflow } from '../case-workflow.service';
import { EnforcementCase } from '../enforcement-case.entity';
import { LicenceAction, Penalty, PenaltyDecision } from '../penalty-decision.entity';
import type { DecidePenaltyRequest } from './decide-penalty.request.dto';
import { EnforcementError } from '../../enforcement.errors';

export interface DecidePenaltyResult {
  enforcementCase: EnforcementCase;
  decision: PenaltyDecision;
}

/** The same penalties, whatever their order: what a legal review approved must be what is decided. */
export function samePenalties(
  a: { penalties?: Penalty[]; licenceAction?: LicenceAction | null },
  b: { penalties?: Penalty[]; licenceAction?: LicenceAction | null },
): boolean {
  const key = (value: { penalties?: Penalty[]; licenceAction?: LicenceAction | null }) =>
    canonicalJson({
      penalties: (value.penalties ?? []).map((p) => canonicalJson(toPenalty(p))).sort(),
      licenceAction: value.licenceAction ? { action: value.licenceAction.action, until: value.licenceAction.until ?? null } : null,
    });
  return key(a) === key(b);
}

/** When a decision stops being published: its decision time plus the longest period of its penalty kinds. */
export function publishUntil(decidedAt: Date, penalties: readonly Penalty[], days: Record<string, number>): Date {
  const longest = Math.max(0, ...penalties.map((penalty) => days[penalty.kind] ?? 365));
  return new Date(decidedAt.getTime() + longest * 86_400_000);
}

/**
 * Decides the penalty on a case, only the lawful way: from a state the transition table allows, within
 * the discretion benchmark and the no-/light-penalty lists, and, for a major decision, only after an
 * approved legal review of exactly these penalties. A refused attempt is recorded in the case's record
 * (and only that is committed). In the same transaction as the decision: the record entry, the anchor
 * of the record's head (kept in the decision and published with it) and `penalty decided` in the
 * case's loop, back to the approver (licence action) and into the credit record.
 */
@Injectable()
export class DecidePenaltyService {
  constructor(
    private readonly workflow: CaseWorkflow,
    private readonly outbox: Outbox,
    private readonly config: EnforcementConfig,
  ) {}

  async decide(caseId: string, department: string, request: DecidePenaltyRequest): Promise<DecidePenaltyResult> {
    const outcome = await this.workflow.dataSource.transaction(async (manager) => {
      const enforcementCase = await this.workflow.lockOwn(manager, caseId, department);
      assertDecidable(enforcementCase, department);
      const penalties = request.penalties.map(toPenalty);
      const licenceAction = request.licenceAction ? toLicenceAction(request.licenceAction) : null;
      const severity: Severity = request.severity ?? 'general';

      let checked: { discretion: DiscretionOutcome; majorReasons: string[]; review: LegalReview | null };
      try {
        checked = await this.check(manager, enforcementCase, severity, penalties, licenceAction);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await this.workflow.caseLog.append(manager, enforcementCase, {
          kind: 'decision_refused',
          department,
          detail: { code: error.code, reason: error.message, decisionNumber: request.decisionNumber, severity, penalties, licenceAction },
        });
        return { refused: error };
      }

      const decidedAt = new Date();
      const decision = manager.create(PenaltyDecision, {
        id: randomUUID(),
        caseId: enforcementCase.id,
        decisionNumber: request.decisionNumber,
        penalties,
        licenceAction,
        decidedBy: department,
        decidedAt,
        severity,
        major: checked.majorReasons.length > 0,
        legalReviewId: checked.review?.id ?? null,
        publishUntil: publishUntil(decidedAt, penalties, publicationDays(this.config)),
      });
      await this.workflow.move(manager, enforcementCase, 'decided', { department }, 'decided', {
        decisionId: decision.id,
        decisionNumber: decision.decisionNumber,
        severity,
        penalties,
        licenceAction,
        benchmarks: checked.discretion.benchmarks.map((b) => `${b.violationCode}/${b.severity}: ${b.basis}`),
        firstMinorList: checked.discretion.list,
        major: checked.majorReasons,
        legalReviewId: checked.review?.id ?? null,
      });
      decision.logHeadSeq = enforcementCase.logHeadSeq;
      decision.logHeadHash = enforcementCase.logHeadHash;
      await manager.insert(PenaltyDecision, decision);
      enforcementCase.decidedAt = decidedAt;
      await manager.update(EnforcementCase, { id: enforcementCase.id }, { decidedAt });
      await this.workflow.caseLog.anchor(manager, enforcementCase, 'decision');

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
    if ('refused' in outcome) throw outcome.refused;
    return outcome;
  }

  private async check(
    manager: EntityManager,
    enforcementCase: EnforcementCase,
    severity: Severity,
    penalties: Penalty[],
    licenceAction: LicenceAction | null,
  ) {
    const benchmarks = await manager.findBy(DiscretionBenchmark, { violationCode: In(enforcementCase.violationCodes) });
    const earlier: Array<{ violation_codes: string[] }> = await manager.query(
      `SELECT c.violation_codes FROM enforcement_case c JOIN penalty_decision d ON d.case_id = c.id WHERE c.uscc = $1 AND c.id <> $2`,
      [enforcementCase.uscc, enforcementCase.id],
    );
    const discretion = checkDiscretion({
      violationCodes: enforcementCase.violationCodes,
      severity,
      penalties,
      benchmarks,
      earlierViolationCodes: new Set(earlier.flatMap((row) => row.violation_codes)),
    });
    const majorReasons = majorDecisionReasons(penalties, this.config.MAJOR_FINE_THRESHOLD);
    if (majorReasons.length === 0) return { discretion, majorReasons, review: null };
    const review = await manager.findOne(LegalReview, {
      where: { caseId: enforcementCase.id, action: 'decide' },
      order: { requestedAt: 'DESC' },
    });
    if (!review || review.outcome !== 'approved') {
      throw new DomainError(
        EnforcementError.LEGAL_REVIEW_REQUIRED,
        `a major decision (${majorReasons.join('; ')}) needs an approved legal review first; ${review ? `the latest review is ${review.outcome ?? 'pending'}` : 'none was requested'}`,
        422,
        { major: majorReasons, reviewId: review?.id ?? null, reviewOutcome: review?.outcome ?? null },
      );
    }
    if (!samePenalties(review.proposal, { penalties, licenceAction })) {
      throw new DomainError(
        EnforcementError.LEGAL_REVIEW_DOES_NOT_COVER,
        `legal review ${review.id} approved other penalties than these: request a review of this decision`,
        422,
        {
          reviewId: review.id,
          reviewed: review.proposal,
        },
      );
    }
    return { discretion, majorReasons, review };
  }
}

/** Plain JSON of what was decided: no request-class instances or undefined fields in jsonb or the event. */
export function toPenalty({ kind, amount }: Penalty): Penalty {
  return amount === undefined ? { kind } : { kind, amount };
}

export function toLicenceAction({ action, until, reason }: LicenceAction): LicenceAction {
  return until === undefined ? { action, reason } : { action, until, reason };
}
