import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Enforcement cases per entity, from `case opened` / `case closed`: open while closedAt is null. */
@Entity('enforcement_case_projection')
@Index('enforcement_case_projection_open', ['uscc'], { where: '(closed_at IS NULL)' })
export class EnforcementCaseProjection {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' }) caseId: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ type: 'text' }) department: string;
  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true }) openedAt: Date | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ name: 'open_event_id', type: 'text', nullable: true }) openEventId: string | null;
  @Column({ name: 'close_event_id', type: 'text', nullable: true }) closeEventId: string | null;
}
