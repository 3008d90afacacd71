import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { EnforcementCase } from '../cases/enforcement-case.entity';

export type ComplaintStatus = 'registered' | 'case_opened' | 'answered';

/** One hand-over of a complaint to the competent department. */
export interface ComplaintTransfer {
  fromDepartment: string;
  toDepartment: string;
  transferredBy: string;
  reason: string;
  at: string;
}

/** A complaint or report (投诉举报): registered, acted on (a case), answered. The complainant is protected: never published. */
@Entity('complaint')
@Check('complaint_status_check', "(status = ANY (ARRAY['registered'::text, 'case_opened'::text, 'answered'::text]))")
@Index('complaint_department_status', ['department', 'status'])
@Index('complaint_uscc', ['uscc'])
@ForeignKey(() => EnforcementCase, ['caseId'], ['id'], { name: 'complaint_case_id_fkey' })
export class Complaint {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'text' }) uscc: string;
  /** The department that registered it and answers it. */
  @Column({ type: 'text' }) department: string;
  @Column({ type: 'text' }) complainant: string;
  @Column({ type: 'text', nullable: true }) contact: string | null;
  @Column({ type: 'text' }) content: string;
  @Column({ name: 'violation_codes', type: 'jsonb' }) violationCodes: string[];
  @Column({ type: 'text' }) status: ComplaintStatus;
  @Column({ name: 'case_id', type: 'uuid', nullable: true }) caseId: string | null;
  @Column({ type: 'text', nullable: true }) answer: string | null;
  @Column({ name: 'registered_at', type: 'timestamptz' }) registeredAt: Date;
  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true }) answeredAt: Date | null;
  /** Earlier departments it was transferred from, oldest first. */
  @Column({ type: 'jsonb', default: () => "'[]'" }) transfers?: ComplaintTransfer[];
}
