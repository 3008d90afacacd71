import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import type { ComplaintCategory, ComplaintChannel, ComplaintKind } from '@backbone/contracts';
import { EnforcementCase } from '../cases/enforcement-case.entity';

export const COMPLAINT_STATUSES = ['registered', 'accepted', 'case_opened', 'answered'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** One hand-over of a complaint to the competent department. */
export interface ComplaintTransfer {
  fromDepartment: string;
  toDepartment: string;
  transferredBy: string;
  reason: string;
  at: string;
}

/**
 * A complaint or report (投诉举报, 001 三(二)6): registered, transferred to the competent department,
 * accepted, answered by a working-day deadline per kind; reminded on its last working day and escalated
 * (督办) once overdue. The complainant is protected: never published, never in an event.
 * Transitions: `complaint.rules.ts`.
 */
@Entity('complaint')
@Check('complaint_status_check', "(status = ANY (ARRAY['registered'::text, 'accepted'::text, 'case_opened'::text, 'answered'::text]))")
@Check('complaint_kind_check', "(kind = ANY (ARRAY['complaint'::text, 'report'::text, 'urgent'::text]))")
@Check('complaint_channel_check', "(channel = ANY (ARRAY['window'::text, 'hotline_12345'::text]))")
@Index('complaint_open_deadline', ['answerDeadline', 'id'], { where: "(status <> 'answered'::text)" })
// What the complaint sweep may still act on (ADR 0085).
@Index('complaint_unescalated_deadline', ['answerDeadline', 'id'], { where: "((status <> 'answered'::text) AND (escalated_at IS NULL))" })
@Index('complaint_uscc_registered', ['uscc', 'registeredAt'])
@Unique('complaint_intake_key_key', ['intakeKey'])
@ForeignKey(() => Complaint, ['repeatOf'], ['id'], { name: 'complaint_repeat_of_fkey' })
@Index('complaint_department_status', ['department', 'status'])
@Index('complaint_uscc', ['uscc'])
@Index('complaint_external_ref', ['externalRef'], { where: '(external_ref IS NOT NULL)' })
@Check(
  'complaint_category_check',
  "(category = ANY (ARRAY['food_safety'::text, 'product_quality'::text, 'pricing'::text, 'unlicensed_operation'::text, 'environment'::text, 'other'::text]))",
)
@ForeignKey(() => EnforcementCase, ['caseId'], ['id'], { name: 'complaint_case_id_fkey' })
export class Complaint {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'text' }) uscc: string;
  /** The department that handles and answers it (the last one it was transferred to). */
  @Column({ type: 'text' }) department: string;
  @Column({ type: 'text' }) kind: ComplaintKind;
  @Column({ type: 'text' }) channel: ComplaintChannel;
  /** The channel's own reference (the 12345 hotline's ticket number). */
  @Column({ name: 'external_ref', type: 'text', nullable: true }) externalRef: string | null;
  /** What the matter is about, when the channel says (the hotline's category); null for window complaints. */
  @Column({ type: 'text', nullable: true }) category: ComplaintCategory | null;
  @Column({ type: 'text' }) complainant: string;
  @Column({ type: 'text', nullable: true }) contact: string | null;
  @Column({ type: 'text' }) content: string;
  @Column({ name: 'violation_codes', type: 'jsonb' }) violationCodes: string[];
  @Column({ type: 'text' }) status: ComplaintStatus;
  @Column({ name: 'case_id', type: 'uuid', nullable: true }) caseId: string | null;
  @Column({ type: 'text', nullable: true }) answer: string | null;
  @Column({ name: 'registered_at', type: 'timestamptz' }) registeredAt: Date;
  /** The end (China time) of the last working day to answer by, counted from registration per kind. */
  @Column({ name: 'answer_deadline', type: 'timestamptz' }) answerDeadline: Date;
  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true }) acceptedAt: Date | null;
  @Column({ name: 'accepted_by', type: 'text', nullable: true }) acceptedBy: string | null;
  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true }) answeredAt: Date | null;
  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true }) remindedAt: Date | null;
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true }) escalatedAt: Date | null;
  /** The earliest complaint about the same entity within the repeat window, when this one repeats it. */
  @Column({ name: 'repeat_of', type: 'uuid', nullable: true }) repeatOf: string | null;
  /** How many earlier complaints about the entity fell within the repeat window at registration. */
  @Column({ name: 'repeat_count', type: 'integer', default: 0 }) repeatCount: number;
  /** For an intake with an Idempotency-Key: `<client department>:<key>` and the request's digest. */
  @Column({ name: 'intake_key', type: 'text', nullable: true }) intakeKey: string | null;
  @Column({ name: 'intake_digest', type: 'text', nullable: true }) intakeDigest: string | null;
  /** Earlier departments it was transferred from, oldest first. */
  @Column({ type: 'jsonb', default: () => "'[]'" }) transfers: ComplaintTransfer[];
}
