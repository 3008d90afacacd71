import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { LicenceAction, Penalty } from '../cases/penalty-decision.entity';
import { EnforcementCase } from '../cases/enforcement-case.entity';

export const REVIEW_ACTIONS = ['decide', 'transfer_judicial'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];
export const REVIEW_OUTCOMES = ['approved', 'rejected'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface ReviewProposal {
  severity?: string;
  penalties?: Penalty[];
  licenceAction?: LicenceAction | null;
  toDepartment?: string;
  reason?: string;
}

/** A legal review (法制审核) of a proposed major decision: requested by the case's department, answered by the legal-review department. */
@Entity('legal_review')
@Check('legal_review_action_check', "(action = ANY (ARRAY['decide'::text, 'transfer_judicial'::text]))")
@Check('legal_review_check', '((outcome IS NULL) = (reviewed_at IS NULL))')
@Check('legal_review_outcome_check', "(outcome = ANY (ARRAY['approved'::text, 'rejected'::text]))")
@Index('legal_review_case', ['caseId'])
@ForeignKey(() => EnforcementCase, ['caseId'], ['id'], { name: 'legal_review_case_id_fkey' })
export class LegalReview {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId: string;
  @Column({ type: 'text' }) action: ReviewAction;
  /** What is reviewed: the decision as proposed, or the judicial transfer. */
  @Column({ type: 'jsonb' }) proposal: ReviewProposal;
  @Column({ name: 'requested_by', type: 'text' }) requestedBy: string;
  @Column({ name: 'requested_at', type: 'timestamptz' }) requestedAt: Date;
  @Column({ type: 'text', nullable: true }) reviewer: string | null;
  @Column({ name: 'reviewer_department', type: 'text', nullable: true }) reviewerDepartment: string | null;
  @Column({ type: 'text', nullable: true }) outcome: ReviewOutcome | null;
  @Column({ type: 'text', nullable: true }) opinion: string | null;
  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true }) reviewedAt: Date | null;
}
