import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { InspectionResult, LicenceActionKind, PenaltyKind } from '@backbone/contracts';

export type CreditEntryKind = 'penalty' | 'inspection';

/** What a penalty decision puts into the record. */
export interface PenaltyFact {
  caseId: string;
  decisionNumber: string;
  department: string;
  penalties: Array<{ kind: PenaltyKind; amount?: number }>;
  licenceAction: { action: LicenceActionKind; until?: string; reason: string } | null;
}

/** What an inspection puts into the record. */
export interface InspectionFact {
  inspectionId: string;
  department: string;
  result: InspectionResult;
  violations: Array<{ code: string; description: string }>;
}

/** One fact in an entity's credit record (信用记录), taken from the event that published it. */
@Entity('credit_entry')
export class CreditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Index() @Column({ type: 'text' }) uscc: string;
  @Column({ type: 'text' }) kind: CreditEntryKind;
  /** The id of the event this fact came from: a fact is recorded once, even after the inbox forgot it. */
  @Column({ name: 'source_event_id', type: 'text', unique: true }) sourceEventId: string;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @Column({ type: 'jsonb' }) detail: PenaltyFact | InspectionFact;
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' }) recordedAt: Date;
}
