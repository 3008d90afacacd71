import { IsDateString, IsIn, IsString, IsUUID, Length } from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';

/**
 * Requests a credit authority answers (信用修复 and 异议申诉, 004 二(二)): filed and answered. They carry no
 * grounds, evidence or answers (those stay in the credit record); they let the duty figures count the
 * requests waiting for an answer.
 */

/** An application to repair one adverse entry of an entity's credit record was filed. */
export class CreditRepairAppliedV1 {
  static readonly type = 'backbone.credit.repair-applied.v1';
  static readonly topic = Topics.CreditEvents;

  @IsUUID() repairId: string;
  @IsUscc() uscc: string;
  /** The record entry to repair. */
  @IsString() @Length(1, 32) entryId: string;
  /** The department that filed it (the agency window acting for the entity, or the credit authority). */
  @IsString() @Length(1, 64) applicantDepartment: string;
  @IsDateString() appliedAt: string;
}

export const CREDIT_REPAIR_DECISIONS = ['approved', 'rejected'] as const;
export type CreditRepairDecisionOutcome = (typeof CREDIT_REPAIR_DECISIONS)[number];

/** A credit authority decided a repair application. */
export class CreditRepairDecidedV1 {
  static readonly type = 'backbone.credit.repair-decided.v1';
  static readonly topic = Topics.CreditEvents;

  @IsUUID() repairId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) applicantDepartment: string;
  @IsIn(CREDIT_REPAIR_DECISIONS) outcome: CreditRepairDecisionOutcome;
  @IsString() @Length(1, 64) decidedBy: string;
  @IsDateString() decidedAt: string;
}

/** An objection (异议申诉) against one entry of an entity's credit record was received. */
export class CreditObjectionRaisedV1 {
  static readonly type = 'backbone.credit.objection-raised.v1';
  static readonly topic = Topics.CreditEvents;

  @IsUUID() objectionId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 32) entryId: string;
  @IsString() @Length(1, 64) raisedBy: string;
  @IsDateString() raisedAt: string;
}

export const CREDIT_OBJECTION_OUTCOMES = ['upheld', 'rejected'] as const;
export type CreditObjectionOutcome = (typeof CREDIT_OBJECTION_OUTCOMES)[number];

/** A credit authority answered an objection: upheld (the entry is corrected) or rejected. */
export class CreditObjectionAnsweredV1 {
  static readonly type = 'backbone.credit.objection-answered.v1';
  static readonly topic = Topics.CreditEvents;

  @IsUUID() objectionId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) raisedBy: string;
  @IsIn(CREDIT_OBJECTION_OUTCOMES) outcome: CreditObjectionOutcome;
  @IsString() @Length(1, 64) answeredBy: string;
  @IsDateString() answeredAt: string;
}
