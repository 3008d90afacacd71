import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { CreditEntry } from '../credit-records/credit-entry.entity';

export const OBJECTION_STATUSES = ['received', 'handling', 'upheld', 'rejected'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

export const OBJECTION_ACTIONS = ['handle', 'uphold', 'reject'] as const;
export type ObjectionAction = (typeof OBJECTION_ACTIONS)[number];

/** Received → handling → answered (upheld or rejected): an objection is handled before it is answered. */
export const OBJECTION_TRANSITIONS: Record<ObjectionAction, { from: readonly ObjectionStatus[]; to: ObjectionStatus }> = {
  handle: { from: ['received'], to: 'handling' },
  uphold: { from: ['handling'], to: 'upheld' },
  reject: { from: ['handling'], to: 'rejected' },
};

/** An objection (异议申诉) against one record entry: received, handled, answered. */
@Entity('credit_objection')
@Check('credit_objection_status_check', "(status = ANY (ARRAY['received'::text, 'handling'::text, 'upheld'::text, 'rejected'::text]))")
@Index('credit_objection_uscc', ['uscc', 'createdAt'])
@ForeignKey(() => CreditEntry, ['entryId'], ['id'], { name: 'credit_objection_entry_id_fkey' })
export class CreditObjection {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'entry_id', type: 'bigint' }) entryId: string;
  @Column({ name: 'raised_by', type: 'text' }) raisedBy: string;
  @Column({ type: 'text' }) grounds: string;
  @Column({ type: 'text' }) status: ObjectionStatus;
  @Column({ name: 'handled_by', type: 'text', nullable: true }) handledBy: string | null;
  @Column({ type: 'text', nullable: true }) handler: string | null;
  @Column({ type: 'text', nullable: true }) answer: string | null;
  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true }) answeredAt: Date | null;
  @Column({ name: 'effective_from', type: 'timestamptz', nullable: true }) effectiveFrom: Date | null;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
