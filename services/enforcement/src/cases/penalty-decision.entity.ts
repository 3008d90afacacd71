import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LicenceActionKind, PenaltyKind } from '@backbone/contracts';

export interface Penalty {
  kind: PenaltyKind;
  /** Yuan, for fines and confiscations. */
  amount?: number;
}

export interface LicenceAction {
  action: LicenceActionKind;
  until?: string;
  reason: string;
}

/** A penalty decision (行政处罚决定) on a case: one per case. */
@Entity('penalty_decision')
export class PenaltyDecision {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'case_id', type: 'uuid', unique: true }) caseId: string;
  /** The decision document number (处罚决定书文号). */
  @Column({ name: 'decision_number', type: 'text' }) decisionNumber: string;
  @Column({ type: 'jsonb' }) penalties: Penalty[];
  @Column({ name: 'licence_action', type: 'jsonb', nullable: true }) licenceAction: LicenceAction | null;
  /** The department that decided (the caller's). */
  @Column({ name: 'decided_by', type: 'text' }) decidedBy: string;
  @Column({ name: 'decided_at', type: 'timestamptz' }) decidedAt: Date;
}
