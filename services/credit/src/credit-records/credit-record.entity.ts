import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CreditList, CreditTier, JointPunishmentMeasure } from '@backbone/contracts';

/**
 * The current standing of one entity, as last published. Its row is also the lock that orders every
 * write to that entity's record (events and REST decisions alike).
 */
@Entity('credit_record')
export class CreditRecord {
  @PrimaryColumn({ type: 'text' }) uscc: string;
  @Column({ type: 'text' }) tier: CreditTier;
  @Column({ type: 'integer' }) score: number;
  @Column({ type: 'text', array: true }) lists: CreditList[];
  @Column({ type: 'text', array: true }) measures: JointPunishmentMeasure[];
  @Column({ type: 'integer' }) version: number;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  /**
   * When the standing may next change with no new fact (a counted fact leaves the look-back period, a
   * fact dated in the future takes effect); null when nothing is pending. The refresh scheduler
   * recomputes records whose time has come.
   */
  @Column({ name: 'next_review_at', type: 'timestamptz', nullable: true }) nextReviewAt: Date | null;
}
