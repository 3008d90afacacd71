import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { CaseCloseOutcome } from '@backbone/contracts';
import type { CaseStatus } from './case-state';

export const CASE_SOURCES = ['inspection', 'unlicensed_clue', 'transfer', 'complaint', 'manual'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/**
 * An enforcement case (执法案件): opened from a violation clue, a transfer, a complaint or by hand, and
 * carried through the steps of `CASE_TRANSITIONS` to its close.
 */
@Entity('enforcement_case')
@Check('enforcement_case_close_outcome_check', "(close_outcome = ANY (ARRAY['executed'::text, 'no_penalty'::text, 'transferred'::text]))")
@Check('enforcement_case_closed_has_outcome', "((status = ANY (ARRAY['closed'::text, 'transferred'::text])) = (close_outcome IS NOT NULL))")
@Check(
  'enforcement_case_source_check',
  "(source = ANY (ARRAY['inspection'::text, 'unlicensed_clue'::text, 'transfer'::text, 'complaint'::text, 'manual'::text]))",
)
@Check(
  'enforcement_case_status_known',
  "(status = ANY (ARRAY['opened'::text, 'investigating'::text, 'under_review'::text, 'decided'::text, 'served'::text, 'executed'::text, 'closed'::text, 'transferred'::text]))",
)
@Unique('enforcement_case_inspection_id_key', ['inspectionId'])
@Unique('enforcement_case_source_key_key', ['sourceKey'])
@Index('enforcement_case_uscc', ['uscc'])
export class EnforcementCase {
  @PrimaryColumn('uuid') id: string;
  /** The approval's loop this case belongs to (or the clue's own, when it had no approval). */
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'approval_id', type: 'uuid', nullable: true }) approvalId: string | null;
  /** The inspection that found the violations; one case per inspection. */
  @Column({ name: 'inspection_id', type: 'uuid', nullable: true }) inspectionId: string | null;
  /** The enforcing department: only it may carry the case on. */
  @Column({ type: 'text' }) department: string;
  @Column({ type: 'text' }) status: CaseStatus;
  @Column({ name: 'violation_codes', type: 'jsonb' }) violationCodes: string[];
  @Column({ name: 'opened_at', type: 'timestamptz' }) openedAt: Date;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ type: 'text' }) source?: CaseSource;
  /** What opened the case, once only (e.g. `clue:<id>`, `transfer:<case id>`): redeliveries open nothing new. */
  @Column({ name: 'source_key', type: 'text', nullable: true }) sourceKey?: string | null;
  /** The person who investigates (named when the investigation starts). */
  @Column({ type: 'text', nullable: true }) investigator?: string | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt?: Date | null;
  @Column({ name: 'close_outcome', type: 'text', nullable: true }) closeOutcome?: CaseCloseOutcome | null;
  @Column({ name: 'transferred_to', type: 'text', nullable: true }) transferredTo?: string | null;
  /** The head of the case's full-process record (see case-record). */
  @Column({ name: 'log_head_seq', type: 'integer', default: 0 }) logHeadSeq?: number;
  @Column({ name: 'log_head_hash', type: 'text', nullable: true }) logHeadHash?: string | null;
}
