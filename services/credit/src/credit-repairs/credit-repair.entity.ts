import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { CreditEntry } from '../credit-records/credit-entry.entity';

export const REPAIR_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];

export const REPAIR_DECISIONS = ['approve', 'reject'] as const;
export type RepairDecision = (typeof REPAIR_DECISIONS)[number];

/** Which decision moves a repair application from which status to which: the whole life cycle. */
export const REPAIR_TRANSITIONS: Record<RepairDecision, { from: readonly RepairStatus[]; to: RepairStatus }> = {
  approve: { from: ['pending'], to: 'approved' },
  reject: { from: ['pending'], to: 'rejected' },
};

/** Evidence added to a pending application (补充材料): by whom, when, and what it gave. */
export interface RepairSupplement {
  addedBy: string;
  at: string;
  rectificationEvidence?: string;
  commitment?: string;
}

/** An application for credit repair (信用修复) of one record entry, and its decision. */
@Entity('credit_repair')
@Check('credit_repair_status_check', "(status = ANY (ARRAY['pending'::text, 'approved'::text, 'rejected'::text]))")
@Index('credit_repair_uscc', ['uscc', 'createdAt'])
@ForeignKey(() => CreditEntry, ['entryId'], ['id'], { name: 'credit_repair_entry_id_fkey' })
export class CreditRepair {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'entry_id', type: 'bigint' }) entryId: string;
  @Column({ name: 'applicant_department', type: 'text' }) applicantDepartment: string;
  @Column({ type: 'text' }) reason: string;
  @Column({ name: 'rectification_evidence', type: 'text', nullable: true }) rectificationEvidence: string | null;
  @Column({ type: 'text', nullable: true }) commitment: string | null;
  /** Evidence added while pending, oldest first; the two fields above hold the latest of each. */
  @Column({ type: 'jsonb', default: () => "'[]'" }) supplements: RepairSupplement[];
  @Column({ type: 'text' }) status: RepairStatus;
  @Column({ name: 'decided_by', type: 'text', nullable: true }) decidedBy: string | null;
  @Column({ name: 'decision_note', type: 'text', nullable: true }) decisionNote: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
