import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ApprovalKind, ApprovalOutcome } from '@backbone/contracts';

/** Where the approval stands in the double loop, as the approver sees it. */
export type SupervisionStatus = 'awaiting_assignment' | 'assigned' | 'claimed' | 'unrouted';
export type LicenceStatus = 'active' | 'suspended' | 'revoked' | 'none';

/** An approval decision (审批决定) and the licence it granted. */
@Entity('approval')
@Index('approval_application', ['approverDepartment', 'applicationNumber'], { unique: true })
export class Approval {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'int' }) version: number;
  @Column({ name: 'correlation_id', type: 'uuid' }) correlationId: string;
  @Column({ name: 'application_number', type: 'text' }) applicationNumber: string;
  @Index() @Column({ type: 'text' }) uscc: string;
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
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

export type FeedbackKind = 'task_assigned' | 'task_claimed' | 'unrouted' | 'penalty_decided';

/** What came back to the approver (双反馈): one row per event received, in order. */
@Entity('approval_feedback')
export class ApprovalFeedback {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Index() @Column({ name: 'approval_id', type: 'uuid' }) approvalId: string;
  @Column({ type: 'text' }) kind: FeedbackKind;
  @Column({ name: 'event_id', type: 'text' }) eventId: string;
  @Column({ type: 'jsonb' }) detail: Record<string, unknown>;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
}
