import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type {
  ApprovalChange,
  ApprovalKind,
  ApprovalOutcome,
  DelegationV1,
  EntrustmentV1,
  LicenceStatusV1,
  RiskWarningLevel,
} from '@backbone/contracts';

/** Where the approval stands in the double loop, as the approver sees it. */
export type SupervisionStatus = 'awaiting_assignment' | 'assigned' | 'claimed' | 'unrouted' | 'returned' | 'escalated' | 'closed';
/** A licence's state (see licences/licence-transitions.ts); `none` for a refused application. */
export type LicenceStatus = LicenceStatusV1 | 'none';
/** `held`: stored but not published while the entity has an open enforcement case (see holds/). */
export type PublicationStatus = 'published' | 'held';

/** An approval decision (审批决定) and the licence it granted. */
@Entity('approval')
@Index('approval_application', ['approverDepartment', 'applicationNumber'], { unique: true })
@Check('approval_kind_check', "(kind = ANY (ARRAY['licence'::text, 'filing'::text, 'commitment'::text]))")
@Check(
  'approval_licence_status_check',
  "(licence_status = ANY (ARRAY['active'::text, 'suspended'::text, 'revoked'::text, 'expired'::text, 'cancelled'::text, 'none'::text]))",
)
@Check('approval_outcome_check', "(outcome = ANY (ARRAY['granted'::text, 'refused'::text]))")
@Check('approval_publication_status_check', "(publication_status = ANY (ARRAY['published'::text, 'held'::text]))")
@Check(
  'approval_supervision_status_check',
  "(supervision_status = ANY (ARRAY['awaiting_assignment'::text, 'assigned'::text, 'claimed'::text, 'unrouted'::text, 'returned'::text, 'escalated'::text, 'closed'::text]))",
)
@Index('approval_held', ['uscc'], { where: "(publication_status = 'held'::text)" })
@Index('approval_uscc', ['uscc'])
@Index('approval_granted_decided', ['decidedAt', 'id'], { where: "(outcome = 'granted'::text)" })
// The licence sweep's two ends (ADR 0085).
@Index('approval_suspension_end', ['suspendedUntil'], { where: "(licence_status = 'suspended'::text)" })
@Index('approval_validity_end', ['validUntil'], {
  where: "((licence_status = ANY (ARRAY['active'::text, 'suspended'::text])) AND (valid_until IS NOT NULL))",
})
export class Approval {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'int' }) version: number;
  @Column({ name: 'correlation_id', type: 'uuid' }) correlationId: string;
  @Column({ name: 'application_number', type: 'text' }) applicationNumber: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'entity_name', type: 'text' }) entityName: string;
  @Column({ name: 'item_code', type: 'text' }) itemCode: string;
  @Column({ name: 'region_code', type: 'text' }) regionCode: string;
  @Column({ name: 'approver_department', type: 'text' }) approverDepartment: string;
  @Column({ type: 'text' }) kind: ApprovalKind;
  @Column({ type: 'text' }) outcome: ApprovalOutcome;
  @Column({ name: 'licence_number', type: 'text', nullable: true }) licenceNumber: string | null;
  @Column({ name: 'licence_status', type: 'text' }) licenceStatus: LicenceStatus;
  @Column({ name: 'suspended_until', type: 'timestamptz', nullable: true }) suspendedUntil: Date | null;
  @Column({ name: 'decided_at', type: 'timestamptz' }) decidedAt: Date;
  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true }) validUntil: Date | null;
  @Column({ name: 'supervision_status', type: 'text' }) supervisionStatus: SupervisionStatus;
  @Column({ name: 'supervising_department', type: 'text', nullable: true }) supervisingDepartment: string | null;
  @Column({ name: 'task_id', type: 'uuid', nullable: true }) taskId: string | null;
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true }) claimedAt: Date | null;
  @Column({ type: 'jsonb', nullable: true }) delegation: DelegationV1 | null;
  @Column({ type: 'jsonb', nullable: true }) entrustment: EntrustmentV1 | null;
  @Column({ name: 'publication_status', type: 'text', default: 'published' }) publicationStatus: PublicationStatus;
  @Column({ name: 'held_reason', type: 'text', nullable: true }) heldReason: string | null;
  @Column({ name: 'held_since', type: 'timestamptz', nullable: true }) heldSince: Date | null;
  @Column({ name: 'released_at', type: 'timestamptz', nullable: true }) releasedAt: Date | null;
  /** Joint punishment `stricter_review` (从严审核) was in force when the application was checked. */
  @Column({ name: 'stricter_review', type: 'boolean', default: false }) stricterReview: boolean;
  @Column({ name: 'credit_check_reason', type: 'text', nullable: true }) creditCheckReason: string | null;
  /** On the red list (守信激励) with incentive fast_track_approval when checked: the fast track (绿色通道, 容缺受理). */
  @Column({ name: 'fast_track', type: 'boolean', default: false }) fastTrack: boolean;
  /** The active risk warning that covered the application: it was flagged for stricter review (docs/domain.md §8). */
  @Column({ name: 'risk_warning', type: 'jsonb', nullable: true }) riskWarning: ApprovalRiskWarning | null;
  @Column({ name: 'still_supervised', type: 'boolean', nullable: true }) stillSupervised: boolean | null;
  @Column({ name: 'last_change', type: 'text', nullable: true }) lastChange: ApprovalChange | null;
  @Column({ name: 'rectification_deadline', type: 'timestamptz', nullable: true }) rectificationDeadline: Date | null;
  @Column({ name: 'rectification_reason', type: 'text', nullable: true }) rectificationReason: string | null;
  @Column({ name: 'claim_deadline', type: 'timestamptz', nullable: true }) claimDeadline: Date | null;
  @Column({ name: 'claim_reminded_at', type: 'timestamptz', nullable: true }) claimRemindedAt: Date | null;
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true }) escalatedAt: Date | null;
  @Column({ name: 'returned_reason', type: 'text', nullable: true }) returnedReason: string | null;
  @Column({ name: 'closed_reason', type: 'text', nullable: true }) closedReason: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

export type FeedbackKind =
  | 'task_assigned'
  | 'task_claimed'
  | 'unrouted'
  | 'penalty_decided'
  | 'task_returned'
  | 'task_updated'
  | 'task_claim_reminder'
  | 'task_escalated'
  | 'task_closed'
  | 'commitment_verified'
  | 'inspection_recorded';

/** What came back to the approver (双反馈): one row per event received, in order. */
@Entity('approval_feedback')
@Index('approval_feedback_approval', ['approvalId'])
@ForeignKey(() => Approval, ['approvalId'], ['id'], { name: 'approval_feedback_approval_id_fkey' })
export class ApprovalFeedback {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'approval_id', type: 'uuid' }) approvalId: string;
  @Column({ type: 'text' }) kind: FeedbackKind;
  @Column({ name: 'event_id', type: 'text' }) eventId: string;
  @Column({ type: 'jsonb' }) detail: Record<string, unknown>;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
}

/** The risk warning an approval was reviewed strictly under. */
export interface ApprovalRiskWarning {
  warningId: string;
  reference: string;
  level: RiskWarningLevel;
  reason: string;
}
