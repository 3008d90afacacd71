import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { InspectionResultCategory } from '@backbone/contracts';

/** One department's result for one drawn entity (in a joint task each department records its own items). */
@Entity('inspection_result')
// The sweep's withdrawals and the key coverage of a year (ADR 0087).
@Index('inspection_result_withdrawal_due', ['withdrawAt'], { where: '(withdrawn_at IS NULL)' })
@Index('inspection_result_uscc_inspected', ['uscc', 'inspectedAt'])
export class InspectionResultRow {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'check_id' }) checkId: string;
  @Column('uuid', { name: 'task_id' }) taskId: string;
  @Column() uscc: string;
  @Column() department: string;
  @Column('text') category: InspectionResultCategory;
  @Column('text', { name: 'item_codes', array: true }) itemCodes: string[];
  @Column('text', { name: 'inspector_ids', array: true }) inspectorIds: string[];
  @Column() findings: string;
  @Column('jsonb') violations: { code: string; description: string }[];
  @Column('text', { name: 'evidence_refs', array: true }) evidenceRefs: string[];
  @Column('timestamptz', { name: 'inspected_at' }) inspectedAt: Date;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
  @Column('timestamptz', { name: 'publish_by' }) publishBy: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt: Date | null;
  @Column('timestamptz', { name: 'withdraw_at', nullable: true }) withdrawAt: Date | null;
  @Column('timestamptz', { name: 'withdrawn_at', nullable: true }) withdrawnAt: Date | null;
}
