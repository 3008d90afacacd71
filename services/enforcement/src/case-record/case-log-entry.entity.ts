import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { EnforcementCase } from '../cases/enforcement-case.entity';

/** One step of a case's full-process record (全过程记录): append-only, chained to the one before. */
@Entity('case_log_entry')
@Check('case_log_entry_seq_check', '(seq >= 1)')
@ForeignKey(() => EnforcementCase, ['caseId'], ['id'], { name: 'case_log_entry_case_id_fkey' })
export class CaseLogEntry {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' }) caseId: string;
  @PrimaryColumn({ type: 'integer' }) seq: number;
  /** What happened: opened, investigation_started, evidence_added, legal_review_requested, decision_refused, … */
  @Column({ type: 'text' }) kind: string;
  /** Who: the department acting, and the person where one is named. */
  @Column({ type: 'text' }) department: string;
  @Column({ type: 'text', nullable: true }) person: string | null;
  @Column({ type: 'timestamptz' }) at: Date;
  /** What: the step's facts, evidence references included. */
  @Column({ type: 'jsonb' }) detail: Record<string, unknown>;
  @Column({ name: 'prev_hash', type: 'text' }) prevHash: string;
  @Column({ type: 'text' }) hash: string;
}

/** The head hash of a case's record at a milestone (decision, transfer, close); rows are only inserted. */
@Entity('case_log_anchor')
@Index('case_log_anchor_case', ['caseId'])
@ForeignKey(() => EnforcementCase, ['caseId'], ['id'], { name: 'case_log_anchor_case_id_fkey' })
export class CaseLogAnchor {
  @PrimaryColumn({ type: 'bigint', generated: 'increment' }) id: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId: string;
  @Column({ type: 'integer' }) seq: number;
  @Column({ type: 'text' }) hash: string;
  @Column({ type: 'text' }) reason: string;
  @Column({ name: 'anchored_at', type: 'timestamptz' }) anchoredAt: Date;
}
