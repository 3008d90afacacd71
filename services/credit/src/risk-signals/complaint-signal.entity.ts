import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ComplaintChannel, ComplaintKind } from '@backbone/contracts';

/**
 * A complaint registered about an entity (ComplaintRegisteredV1): a risk signal beside the record, not a
 * credit fact. A complaint is an allegation: it never counts towards the tier, never enters the lists
 * and is never published; departments see the counts in the full record when they weigh risk.
 */
@Entity('complaint_signal')
@Index('complaint_signal_uscc', ['uscc', 'registeredAt'])
export class ComplaintSignal {
  @PrimaryColumn({ name: 'complaint_id', type: 'uuid' }) complaintId: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ type: 'text' }) kind: ComplaintKind;
  @Column({ type: 'text' }) channel: ComplaintChannel;
  @Column({ type: 'text' }) department: string;
  @Column({ name: 'repeat_of', type: 'uuid', nullable: true }) repeatOf: string | null;
  @Column({ name: 'registered_at', type: 'timestamptz' }) registeredAt: Date;
}
