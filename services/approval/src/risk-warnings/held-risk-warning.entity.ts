import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { HeldRiskWarning, RiskWarningLevel, RiskWarningScopeV1 } from '@backbone/contracts';

/** This service's copy of a risk warning raised at supervision, for the review of applications in its scope. */
@Entity('risk_warning')
export class HeldRiskWarningRow {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'text' }) reference: string;
  @Column({ type: 'text' }) level: RiskWarningLevel;
  @Column({ type: 'jsonb' }) scope: RiskWarningScopeV1;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt: Date;
  @Column({ name: 'ends_at', type: 'timestamptz' }) endsAt: Date;
  @Column({ name: 'raised_at', type: 'timestamptz' }) raisedAt: Date;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;

  held(): HeldRiskWarning & { reference: string } {
    return { ...this, warningId: this.id };
  }
}
