import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import type { LicenceActionKind, PenaltyKind } from '@backbone/contracts';
import type { Severity } from '../benchmarks/discretion';
import { EnforcementCase } from './enforcement-case.entity';
import { LegalReview } from '../legal-review/legal-review.entity';

export interface Penalty {
  kind: PenaltyKind;
  /** Yuan, for fines and confiscations. */
  amount?: number;
}

export interface LicenceAction {
  action: LicenceActionKind;
  until?: string;
  reason: string;
}

/** A penalty decision (行政处罚决定) on a case: one per case. */
@Entity('penalty_decision')
@Check('penalty_decision_severity_check', "(severity = ANY (ARRAY['minor'::text, 'general'::text, 'serious'::text]))")
@Check('penalty_decision_withdrawn_after_repair', '((publicity_withdrawn_at IS NULL) OR (repaired_at IS NOT NULL))')
@ForeignKey(() => EnforcementCase, ['caseId'], ['id'], { name: 'penalty_decision_case_id_fkey' })
@ForeignKey(() => LegalReview, ['legalReviewId'], ['id'], { name: 'penalty_decision_legal_review_id_fkey' })
export class PenaltyDecision {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'case_id', type: 'uuid', unique: true }) caseId: string;
  /** The decision document number (处罚决定书文号). */
  @Column({ name: 'decision_number', type: 'text' }) decisionNumber: string;
  @Column({ type: 'jsonb' }) penalties: Penalty[];
  @Column({ name: 'licence_action', type: 'jsonb', nullable: true }) licenceAction: LicenceAction | null;
  /** The department that decided (the caller's). */
  @Column({ name: 'decided_by', type: 'text' }) decidedBy: string;
  @Column({ name: 'decided_at', type: 'timestamptz' }) decidedAt: Date;
  /** The severity the discretion benchmark was applied at. */
  @Column({ type: 'text' }) severity?: Severity;
  /** A major decision (重大执法决定): decided only after an approved legal review. */
  @Column({ type: 'boolean', default: false }) major?: boolean;
  @Column({ name: 'legal_review_id', type: 'uuid', nullable: true }) legalReviewId?: string | null;
  /** The head of the case's record at decision time (the decision entry included), published with the decision. */
  @Column({ name: 'log_head_seq', type: 'integer', default: 0 }) logHeadSeq?: number;
  @Column({ name: 'log_head_hash', type: 'text', nullable: true }) logHeadHash?: string | null;
  /** Shown on the public list until then (the longest publication period of its penalty kinds). */
  @Column({ name: 'publish_until', type: 'timestamptz', nullable: true }) publishUntil?: Date | null;
  /** The credit repair (at credit) that covered this decision's penalty, and when it was granted. */
  @Column({ name: 'repair_id', type: 'uuid', nullable: true }) repairId?: string | null;
  @Column({ name: 'repaired_at', type: 'timestamptz', nullable: true }) repairedAt?: Date | null;
  /** Taken off the public list at the repair (停止公示); null: shown until publishUntil (marked repaired, if it is). */
  @Column({ name: 'publicity_withdrawn_at', type: 'timestamptz', nullable: true }) publicityWithdrawnAt?: Date | null;
}
