import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One inspector of the inspector pool (执法检查人员名录库). */
@Entity('inspector')
export class Inspector {
  @PrimaryColumn('uuid') id: string;
  @Column() department: string;
  @Column() name: string;
  /** Enforcement certificate number (执法证号). */
  @Column({ name: 'certificate_number' }) certificateNumber: string;
  @Column({ name: 'region_code' }) regionCode: string;
  @Column('text', { array: true }) specialities: string[];
  /** An expert (专家) may join a team but is not an enforcement officer. */
  @Column() expert: boolean;
  @Column() active: boolean;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt: Date;
}

/** A declared conflict of interest (回避): the inspector never inspects the entity. */
@Entity('inspector_conflict')
export class InspectorConflict {
  @PrimaryColumn('uuid', { name: 'inspector_id' }) inspectorId: string;
  @PrimaryColumn() uscc: string;
  @Column() reason: string;
  @Column('timestamptz', { name: 'declared_at' }) declaredAt: Date;
}

export function inspectorView(inspector: Inspector) {
  return {
    id: inspector.id,
    department: inspector.department,
    name: inspector.name,
    certificateNumber: inspector.certificateNumber,
    regionCode: inspector.regionCode,
    specialities: inspector.specialities,
    expert: inspector.expert,
    active: inspector.active,
    registeredAt: inspector.registeredAt.toISOString(),
  };
}
