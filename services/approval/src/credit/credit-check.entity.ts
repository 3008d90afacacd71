import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ApprovalKind, CreditList, CreditTier, JointPunishmentMeasure } from '@backbone/contracts';
import type { CreditCheckResult } from './credit-check';

/** One check of the credit record on an application (逢办必查), refused ones included. */
@Entity('credit_check')
@Index('credit_check_uscc', ['uscc', 'id'])
@Check('credit_check_result_check', "(result = ANY (ARRAY['accepted'::text, 'flagged'::text, 'refused'::text]))")
export class CreditCheck {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'application_number', type: 'text' }) applicationNumber: string;
  @Column({ type: 'text' }) department: string;
  @Column({ type: 'text' }) kind: ApprovalKind;
  @Column({ type: 'text', nullable: true }) tier: CreditTier | null;
  @Column({ type: 'jsonb' }) lists: CreditList[];
  @Column({ type: 'jsonb' }) measures: JointPunishmentMeasure[];
  @Column({ type: 'text' }) result: CreditCheckResult;
  @Column({ type: 'text', nullable: true }) code: string | null;
  @Column({ type: 'text' }) reason: string;
  @Column({ name: 'approval_id', type: 'uuid', nullable: true }) approvalId: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at: Date;
}
