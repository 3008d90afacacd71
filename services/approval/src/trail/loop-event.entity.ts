import { Column, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

/** One event of any service, as this service received it: the trail of an approval's loop. */
@Entity('loop_event')
@Index('loop_event_correlation', ['correlationId', 'time', 'arrival'])
export class LoopEvent {
  @PrimaryColumn({ name: 'event_id', type: 'text' }) eventId: string;
  /** Arrival order here: breaks ties between events with the same time. */
  @Column({ type: 'bigint' }) @Generated('increment') arrival: string;
  @Column({ type: 'text' }) type: string;
  @Column({ type: 'text' }) source: string;
  @Column({ type: 'text' }) subject: string;
  @Column({ type: 'timestamptz' }) time: Date;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ name: 'causation_id', type: 'text', nullable: true }) causationId: string | null;
  @Column({ type: 'jsonb' }) data: unknown;
  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' }) receivedAt: Date;
}
