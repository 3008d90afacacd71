import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import type { PenaltyKind } from '@backbone/contracts';
import type { FirstMinorTreatment, Severity } from './discretion';

/** A discretion benchmark (自由裁量基准): for one violation at one severity, the basis, measures and fine range. */
@Entity('discretion_benchmark')
@Check('discretion_benchmark_check', '(((min_fine IS NULL) = (max_fine IS NULL)) AND ((min_fine IS NULL) OR (min_fine <= max_fine)))')
@Check('discretion_benchmark_first_minor_check', "(first_minor = ANY (ARRAY['none'::text, 'no_penalty'::text, 'light_penalty'::text]))")
@Check('discretion_benchmark_severity_check', "(severity = ANY (ARRAY['minor'::text, 'general'::text, 'serious'::text]))")
export class DiscretionBenchmark {
  @PrimaryColumn({ name: 'violation_code', type: 'text' }) violationCode: string;
  @PrimaryColumn({ type: 'text' }) severity: Severity;
  /** The legal basis (裁量依据). */
  @Column({ type: 'text' }) basis: string;
  /** The kinds of measure allowed (裁量种类). */
  @Column({ type: 'jsonb' }) measures: PenaltyKind[];
  /** Fine range in yuan (裁量幅度), when fines are allowed. */
  @Column({
    name: 'min_fine',
    type: 'numeric',
    precision: 14,
    scale: 2,
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  minFine: number | null;
  @Column({
    name: 'max_fine',
    type: 'numeric',
    precision: 14,
    scale: 2,
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  maxFine: number | null;
  /** How a minor first violation is treated: the no-penalty list (免罚清单), the light-penalty list (轻罚清单), or neither. */
  @Column({ name: 'first_minor', type: 'text', default: 'none' }) firstMinor: FirstMinorTreatment;
}
