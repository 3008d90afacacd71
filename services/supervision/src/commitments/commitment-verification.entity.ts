import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import type { CommitmentOutcome } from '@backbone/contracts';
import { SupervisionTask } from '../tasks/supervision-task.entity';

/**
 * The verification of a commitment-based approval (告知承诺制, 003 row 1; 000 三(四)4), scheduled when the
 * approval is routed; the supervising department (the task's) records its result.
 */
@Entity('commitment_verification')
@Check('commitment_verification_outcome_check', "(outcome = ANY (ARRAY['fulfilled'::text, 'breached'::text]))")
@Unique('commitment_verification_approval_id_key', ['approvalId'])
@Index('commitment_verification_unverified', ['dueAt', 'id'], { where: '(verified_at IS NULL)' })
@Index('commitment_verification_unescalated', ['dueAt', 'id'], {
  where: '((verified_at IS NULL) AND (escalated_at IS NULL) AND (task_id IS NOT NULL))',
})
@ForeignKey(() => SupervisionTask, ['taskId'], ['id'], { name: 'commitment_verification_task_id_fkey' })
export class CommitmentVerification {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'approval_id', type: 'uuid' }) approvalId: string;
  @Column({ name: 'task_id', type: 'uuid', nullable: true }) taskId: string | null;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'item_code', type: 'text' }) itemCode: string;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt: Date;
  @Column({ type: 'text', nullable: true }) outcome: CommitmentOutcome | null;
  @Column({ type: 'text', nullable: true }) findings: string | null;
  @Column({ name: 'verified_by', type: 'text', nullable: true }) verifiedBy: string | null;
  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true }) verifiedAt: Date | null;
  /** Not verified by its due date: escalated (督办) once, at this time (CommitmentVerificationEscalatedV1). */
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true }) escalatedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
