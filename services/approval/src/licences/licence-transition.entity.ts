import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { LicenceStatus } from '../approvals/approval.entity';
import { Approval } from '../approvals/approval.entity';

/**
 * Every change of a licence's state, with its reason and the event that caused it. A transition the
 * table forbids that arrived as an event is recorded too, with `applied = false`, and changes nothing.
 */
@Entity('licence_transition')
@Index('licence_transition_approval', ['approvalId', 'id'])
@ForeignKey(() => Approval, ['approvalId'], ['id'], { name: 'licence_transition_approval_id_fkey' })
export class LicenceTransition {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'approval_id', type: 'uuid' }) approvalId: string;
  @Column({ name: 'from_status', type: 'text' }) fromStatus: LicenceStatus;
  @Column({ name: 'to_status', type: 'text' }) toStatus: LicenceStatus;
  @Column({ type: 'boolean' }) applied: boolean;
  @Column({ type: 'timestamptz', nullable: true }) until: Date | null;
  @Column({ type: 'text' }) reason: string;
  @Column({ name: 'cause_event_id', type: 'text', nullable: true }) causeEventId: string | null;
  @Column({ name: 'cause_event_type', type: 'text', nullable: true }) causeEventType: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at: Date;
}
