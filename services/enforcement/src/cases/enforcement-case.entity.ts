import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type CaseStatus = 'opened' | 'decided';

/** An enforcement case (执法案件): opened from an inspection's violations, closed by a penalty decision. */
@Entity('enforcement_case')
export class EnforcementCase {
  @PrimaryColumn('uuid') id: string;
  /** The approval's loop this case belongs to (or the inspection's own, when it had no approval). */
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Index() @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'approval_id', type: 'uuid', nullable: true }) approvalId: string | null;
  /** The inspection that found the violations; one case per inspection. */
  @Index({ unique: true }) @Column({ name: 'inspection_id', type: 'uuid', nullable: true }) inspectionId: string | null;
  /** The enforcing department: only it may decide the case. */
  @Column({ type: 'text' }) department: string;
  @Column({ type: 'text' }) status: CaseStatus;
  @Column({ name: 'violation_codes', type: 'jsonb' }) violationCodes: string[];
  @Column({ name: 'opened_at', type: 'timestamptz' }) openedAt: Date;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
}
