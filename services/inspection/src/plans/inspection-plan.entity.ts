import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An annual spot-check plan (年度抽查计划) of one department; published, it is public. */
@Entity('inspection_plan')
export class InspectionPlan {
  @PrimaryColumn('uuid') id: string;
  @Column() department: string;
  @Column('int') year: number;
  @Column() title: string;
  @Column() description: string;
  @Column() status: 'draft' | 'published';
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt: Date | null;
}

export function planView(plan: InspectionPlan) {
  return {
    id: plan.id,
    department: plan.department,
    year: plan.year,
    title: plan.title,
    description: plan.description,
    status: plan.status,
    createdAt: plan.createdAt.toISOString(),
    publishedAt: plan.publishedAt?.toISOString() ?? null,
  };
}
