import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type {
  CaseCloseOutcome,
  CommitmentOutcome,
  CreditList,
  InspectionProgramme,
  InspectionResult,
  InspectionResultCategory,
  JointPunishmentMeasure,
  LicenceActionKind,
  LicenceStatusV1,
  PenaltyKind,
} from '@backbone/contracts';

export const CREDIT_ENTRY_KINDS = [
  'penalty',
  'inspection',
  'commitment',
  'case_closure',
  'licence_status',
  'list_entry',
  'list_exit',
  'repair',
  'correction',
] as const;
export type CreditEntryKind = (typeof CREDIT_ENTRY_KINDS)[number];

/** Kinds that are facts about the entity's conduct (as opposed to what the record did about them). */
export const CONDUCT_KINDS: readonly CreditEntryKind[] = ['penalty', 'inspection', 'commitment', 'case_closure', 'licence_status'];

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
  /** From v2 on: the standard result category, the programme and the items. */
  category?: InspectionResultCategory;
  programme?: InspectionProgramme;
  itemCodes?: string[];
  taskReference?: string;
}

/** A commitment (信用承诺) verified afterwards: fulfilment and breach both go into the record. */
export interface CommitmentFact {
  verificationId: string;
  approvalId: string;
  itemCode: string;
  department: string;
  outcome: CommitmentOutcome;
  findings: string;
}

/**
 * An enforcement case was closed (executed, closed without penalty, transferred). Reflected in the
 * record, never counted: the penalty it carried, if any, counts through its own fact.
 */
export interface CaseClosureFact {
  caseId: string;
  department: string;
  outcome: CaseCloseOutcome;
}

/**
 * A licence changed state at the approver (suspended, revoked, expired, cancelled, restored).
 * Reflected, never counted: the penalty or commitment breach that caused it counts through its own fact.
 */
export interface LicenceStatusFact {
  approvalId: string;
  licenceNumber?: string;
  from: LicenceStatusV1;
  to: LicenceStatusV1;
  until?: string;
  reason: string;
  causeEventId?: string;
}

/** The entity was put on a list by a rule, because of another entry (the trigger). */
export interface ListEntryFact {
  list: CreditList;
  ruleId: string;
  reason: string;
  triggerEntryId: string;
  measures: JointPunishmentMeasure[];
}

/** The entity left a list: after an approved repair, or because the objection against its ground was upheld. */
export interface ListExitFact {
  list: CreditList;
  listEntryId: string;
  reason: 'repair' | 'objection_upheld';
  repairId?: string;
  objectionId?: string;
}

/** An approved credit repair (信用修复): the covered entries stop counting and stop being published. */
export interface RepairFact {
  repairId: string;
  targetEntryId: string;
  coveredEntryIds: string[];
  decidedBy: string;
}

/** An upheld objection (异议申诉): the entry is invalid from this fact's date; both stay in the history. */
export interface CorrectionFact {
  objectionId: string;
  invalidatedEntryId: string;
  answer: string;
}

export type CreditFactDetail =
  | PenaltyFact
  | InspectionFact
  | CommitmentFact
  | CaseClosureFact
  | LicenceStatusFact
  | ListEntryFact
  | ListExitFact
  | RepairFact
  | CorrectionFact;

/**
 * One fact in an entity's credit record (信用记录). Append-only: a fact is never changed or deleted;
 * `occurredAt` is when it became valid, and it stops being valid only through a later fact (a list
 * exit, a repair, a correction). `recordedAt` is when the record learnt it.
 */
@Entity('credit_entry')
@Check(
  'credit_entry_kind_check',
  "(kind = ANY (ARRAY['penalty'::text, 'inspection'::text, 'commitment'::text, 'case_closure'::text, 'licence_status'::text, 'list_entry'::text, 'list_exit'::text, 'repair'::text, 'correction'::text]))",
)
@Index('credit_entry_uscc', ['uscc', 'occurredAt', 'id'])
export class CreditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ type: 'text' }) kind: CreditEntryKind;
  /** The id of the event (or decision) this fact came from: a fact is recorded once, even after the inbox forgot it. */
  @Column({ name: 'source_event_id', type: 'text', unique: true }) sourceEventId: string;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @Column({ type: 'jsonb' }) detail: CreditFactDetail;
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' }) recordedAt: Date;
}
