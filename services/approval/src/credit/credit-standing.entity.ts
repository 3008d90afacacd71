import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CreditList, CreditTier, JointPunishmentMeasure } from '@backbone/contracts';

/** This service's copy of an entity's credit standing: the newest `credit status changed` by effectiveAt. */
@Entity('credit_standing')
export class CreditStanding {
  @PrimaryColumn({ type: 'text' }) uscc: string;
  @Column({ type: 'text' }) tier: CreditTier;
  @Column({ type: 'jsonb' }) lists: CreditList[];
  @Column({ type: 'jsonb' }) measures: JointPunishmentMeasure[];
  @Column({ name: 'effective_at', type: 'timestamptz' }) effectiveAt: Date;
  @Column({ name: 'event_id', type: 'text' }) eventId: string;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
