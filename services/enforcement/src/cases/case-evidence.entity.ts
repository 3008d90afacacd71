import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { EnforcementCase } from './enforcement-case.entity';

/** An evidence item (证据) collected in an investigation: who collected it, what it is, where it is kept. */
@Entity('case_evidence')
@Index('case_evidence_case', ['caseId'])
@ForeignKey(() => EnforcementCase, ['caseId'], ['id'], { name: 'case_evidence_case_id_fkey' })
export class CaseEvidence {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId: string;
  @Column({ name: 'collected_by', type: 'text' }) collectedBy: string;
  @Column({ type: 'text' }) description: string;
  /** Where the item is kept (file number, storage reference, hash of a document). */
  @Column({ type: 'text' }) reference: string;
  @Column({ name: 'collected_at', type: 'timestamptz' }) collectedAt: Date;
}
