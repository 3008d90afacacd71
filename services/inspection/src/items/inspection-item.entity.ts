import { Column, Entity, PrimaryColumn } from 'typeorm';

export const INSPECTION_METHODS = ['on_site', 'documents', 'online'] as const;
export type InspectionMethod = (typeof INSPECTION_METHODS)[number];
export const ITEM_KINDS = ['key', 'general'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** One version of a spot-check item (抽查事项) of a department's list (一单). */
@Entity('inspection_item')
export class InspectionItem {
  @PrimaryColumn('uuid') id: string;
  @Column() department: string;
  @Column() code: string;
  @Column('int') version: number;
  @Column() name: string;
  @Column({ name: 'legal_basis' }) legalBasis: string;
  @Column('text', { name: 'inspecting_departments', array: true }) inspectingDepartments: string[];
  @Column('text', { name: 'entity_types', array: true }) entityTypes: string[];
  @Column('text', { array: true }) industries: string[];
  @Column('text', { name: 'licence_item_codes', array: true }) licenceItemCodes: string[];
  @Column('text', { name: 'region_prefixes', array: true }) regionPrefixes: string[];
  @Column('text') method: InspectionMethod;
  @Column('text') kind: ItemKind;
  @Column('int', { name: 'min_ratio_bp' }) minRatioBp: number;
  @Column('int', { name: 'max_ratio_bp' }) maxRatioBp: number;
  @Column('int', { name: 'frequency_per_year' }) frequencyPerYear: number;
  @Column() withdrawn: boolean;
  @Column('timestamptz', { name: 'valid_from' }) validFrom: Date;
  @Column('timestamptz', { name: 'superseded_at', nullable: true }) supersededAt: Date | null;
}

export function itemView(item: InspectionItem) {
  return {
    id: item.id,
    department: item.department,
    code: item.code,
    version: item.version,
    name: item.name,
    legalBasis: item.legalBasis,
    inspectingDepartments: item.inspectingDepartments,
    objectScope: {
      entityTypes: item.entityTypes,
      industries: item.industries,
      licenceItemCodes: item.licenceItemCodes,
      regionPrefixes: item.regionPrefixes,
    },
    method: item.method,
    kind: item.kind,
    ratioBounds: { minRatioBp: item.minRatioBp, maxRatioBp: item.maxRatioBp },
    frequencyPerYear: item.frequencyPerYear,
    withdrawn: item.withdrawn,
    validFrom: item.validFrom.toISOString(),
    supersededAt: item.supersededAt?.toISOString() ?? null,
  };
}
