import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const ENTITY_TYPES = ['enterprise', 'individual_business', 'farmer_cooperative', 'other'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/**
 * The entity type a USCC states by itself (GB 32100-2015): registration authority `9` (market
 * regulation) with category `1` enterprise, `2` individual business (个体工商户), `3` farmers'
 * co-operative; anything else is `other`.
 */
export function entityTypeOf(uscc: string): EntityType {
  if (uscc[0] !== '9') return 'other';
  return uscc[1] === '1' ? 'enterprise' : uscc[1] === '2' ? 'individual_business' : uscc[1] === '3' ? 'farmer_cooperative' : 'other';
}

/** The division code of the registering authority, positions 3–8 of the USCC. */
export const regionOf = (uscc: string): string => uscc.slice(2, 8);

/** One market entity of the target pool (检查对象名录库). */
@Entity('target_entity')
// The key entities, for the key coverage of a year (ADR 0087).
@Index('target_entity_key_active', ['uscc'], { where: "(key_supervision AND (status = 'active'::text))" })
export class TargetEntity {
  @PrimaryColumn() uscc: string;
  @Column() name: string;
  @Column({ name: 'entity_type' }) entityType: string;
  @Column('text', { nullable: true }) industry: string | null;
  @Column({ name: 'region_code' }) regionCode: string;
  @Column('char', { name: 'credit_tier' }) creditTier: string;
  @Column('text', { name: 'credit_lists', array: true }) creditLists: string[];
  @Column('timestamptz', { name: 'credit_effective_at', nullable: true }) creditEffectiveAt: Date | null;
  /** Joint-punishment measures of its lists: `higher_inspection_ratio` draws it in stratum D. */
  @Column('text', { name: 'credit_measures', array: true }) creditMeasures: string[];
  /** On the red list (守信激励): fewer inspections (RED_LIST_INSPECTION_INTERVAL_DAYS). */
  @Column({ name: 'red_list' }) redList: boolean;
  @Column({ name: 'key_supervision' }) keySupervision: boolean;
  @Column() status: string;
  @Column('int', { name: 'open_cases' }) openCases: number;
  @Column('timestamptz', { name: 'last_inspected_at', nullable: true }) lastInspectedAt: Date | null;
  @Column('text', { name: 'last_inspectors', array: true }) lastInspectors: string[];
  @Column() source: string;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('target_licence')
export class TargetLicence {
  @PrimaryColumn('uuid', { name: 'approval_id' }) approvalId: string;
  @Column() uscc: string;
  @Column({ name: 'item_code' }) itemCode: string;
  @Column({ name: 'approver_department' }) approverDepartment: string;
  @Column({ name: 'correlation_id' }) correlationId: string;
  @Column() status: string;
  @Column('timestamptz', { name: 'decided_at' }) decidedAt: Date;
}
