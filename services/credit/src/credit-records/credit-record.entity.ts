import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CreditList, CreditTier, JointPunishmentMeasure } from '@backbone/contracts';

/**
 * The current standing of one entity, as last published. Its row is also the lock that orders every
 * write to that entity's record (events and REST decisions alike).
 */
@Entity('credit_record')
@Check('credit_record_tier_check', "(tier = ANY (ARRAY['A'::text, 'B'::text, 'C'::text, 'D'::text]))")
@Index('credit_record_next_review', ['nextReviewAt', 'uscc'], { where: '(next_review_at IS NOT NULL)' })
export class CreditRecord {
  @PrimaryColumn({ type: 'text' }) uscc: string;
  @Column({ type: 'text' }) tier: CreditTier;
  @Column({ type: 'integer' }) score: number;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) lists: CreditList[];
  @Column({ type: 'text', array: true, default: () => "'{}'" }) measures: JointPunishmentMeasure[];
  /** On the red list (守信激励) as last published (CreditRedListChangedV1). */
  @Column({ name: 'red_list', type: 'boolean', default: false }) redList: boolean;
  @Column({ type: 'integer', default: 0 }) version: number;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
  /**
   * When the standing may next change with no new fact (a counted fact leaves the look-back period, a
   * fact dated in the future takes effect); null when nothing is pending. The refresh scheduler
   * recomputes records whose time has come.
   */
  @Column({ name: 'next_review_at', type: 'timestamptz', nullable: true }) nextReviewAt: Date | null;
}
