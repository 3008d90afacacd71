import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import type { RoutingRule } from '@backbone/contracts';

export const CATALOG_LEVELS = ['province', 'city', 'county'] as const;
export type CatalogLevel = (typeof CATALOG_LEVELS)[number];

/**
 * One entry of the supervision item catalog (监管事项目录清单): the approval items it covers in one
 * region, who supervises them, and every element the documents name (000 三(一)1, 001 三(一)1: department,
 * object, measures, legal basis, result, level; 002 一(一)1: responsible leader, undertaking office,
 * handler). The row is the current version; each version is kept in `catalog_entry_version`.
 */
@Entity('catalog_entry')
@Check('catalog_entry_approval_item_codes_check', '(cardinality(approval_item_codes) > 0)')
@Check('catalog_entry_check', "((mode = 'integrated'::text) OR (supervising_department IS NOT NULL))")
@Check('catalog_entry_check1', '((effective_to IS NULL) OR (effective_to > effective_from))')
@Check('catalog_entry_claim_deadline_days_check', '(claim_deadline_days > 0)')
@Check('catalog_entry_level_check', "(level = ANY (ARRAY['province'::text, 'city'::text, 'county'::text]))")
@Check('catalog_entry_mode_check', "(mode = ANY (ARRAY['integrated'::text, 'separated'::text]))")
@Check('catalog_entry_region_code_check', "(region_code ~ '^[0-9]{6}$'::text)")
@Check('catalog_entry_verification_deadline_days_check', '(verification_deadline_days > 0)')
// gin index, created by its migration
@Index('catalog_entry_items', { synchronize: false })
export class CatalogEntry {
  @PrimaryColumn('uuid') id: string;
  /** The supervision item's own code (监管事项编码). */
  @Column({ name: 'item_code', type: 'text' }) itemCode: string;
  /** The approval items (审批事项编码) the entry covers. */
  @Column({ name: 'approval_item_codes', type: 'text', array: true }) approvalItemCodes: string[];
  /** Six-digit division code; an entry of a city (xxxx00) or province (xx0000) covers the divisions under it. */
  @Column({ name: 'region_code', type: 'text' }) regionCode: string;
  @Column({ name: 'item_name', type: 'text' }) itemName: string;
  /** integrated (审管一体): the approver supervises; separated (审管分离): the industry authority does. */
  @Column({ type: 'text' }) mode: RoutingRule;
  /** The industry authority (行业主管部门); required for separated items. */
  @Column({ name: 'supervising_department', type: 'text', nullable: true }) supervisingDepartment: string | null;
  @Column({ name: 'supervision_object', type: 'text', default: '' }) supervisionObject: string;
  @Column({ type: 'text', default: '' }) measures: string;
  @Column({ name: 'legal_basis', type: 'text', default: '' }) legalBasis: string;
  @Column({ name: 'result_handling', type: 'text', default: '' }) resultHandling: string;
  @Column({ type: 'text' }) level: CatalogLevel;
  @Column({ name: 'responsible_leader', type: 'text', default: '' }) responsibleLeader: string;
  @Column({ name: 'undertaking_office', type: 'text', default: '' }) undertakingOffice: string;
  @Column({ type: 'text', default: '' }) handler: string;
  @Column({ name: 'claim_deadline_days', type: 'int', default: 2 }) claimDeadlineDays: number;
  /** Working days to verify a commitment-based approval (告知承诺) of these items. */
  @Column({ name: 'verification_deadline_days', type: 'int', default: 20 }) verificationDeadlineDays: number;
  /** The default only filled the rows that existed when the column was added (1 January 2020, China time). */
  @Column({ name: 'effective_from', type: 'timestamptz', default: () => "'2019-12-31 16:00:00+00'" })
  effectiveFrom: Date;
  @Column({ name: 'effective_to', type: 'timestamptz', nullable: true }) effectiveTo: Date | null;
  @Column({ type: 'int', default: 1 }) version: number;
  @Column({ name: 'updated_by', type: 'text', default: 'migration' }) updatedBy: string;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

/** One version of a catalog entry, as it stood: the history the admin API keeps. */
@Entity('catalog_entry_version')
@ForeignKey(() => CatalogEntry, ['entryId'], ['id'], { name: 'catalog_entry_version_entry_id_fkey' })
export class CatalogEntryVersion {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid' }) entryId: string;
  @PrimaryColumn({ type: 'int' }) version: number;
  @Column({ type: 'jsonb' }) snapshot: Record<string, unknown>;
  @Column({ name: 'changed_by', type: 'text' }) changedBy: string;
  @Column({ name: 'change_note', type: 'text' }) changeNote: string;
  @Column({ name: 'changed_at', type: 'timestamptz', default: () => 'now()' }) changedAt: Date;
}

export function catalogLevelOf(regionCode: string): CatalogLevel {
  if (regionCode.endsWith('0000')) return 'province';
  if (regionCode.endsWith('00')) return 'city';
  return 'county';
}
