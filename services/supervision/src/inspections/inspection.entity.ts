import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { InspectionResult } from '@backbone/contracts';
import { SupervisionTask } from '../tasks/supervision-task.entity';

export interface Violation {
  code: string;
  description: string;
}

/** An inspection's result, filed under the entity's USCC. */
@Entity('inspection')
@Check('inspection_result_check', "(result = ANY (ARRAY['compliant'::text, 'non_compliant'::text]))")
@Index('inspection_uscc', ['uscc'])
@ForeignKey(() => SupervisionTask, ['taskId'], ['id'], { name: 'inspection_task_id_fkey' })
export class Inspection {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'task_id', type: 'uuid', nullable: true }) taskId: string | null;
  @Column({ name: 'approval_id', type: 'uuid', nullable: true }) approvalId: string | null;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ type: 'text' }) department: string;
  @Column({ type: 'text' }) inspector: string;
  @Column({ type: 'text' }) result: InspectionResult;
  @Column({ type: 'jsonb' }) violations: Violation[];
  @Column({ name: 'inspected_at', type: 'timestamptz' }) inspectedAt: Date;
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' }) recordedAt: Date;
}
