import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';

/** An enforcement case was opened (from a violation clue, a transfer, a complaint or by hand). */
export class CaseOpenedV1 {
  static readonly type = 'backbone.enforcement.case-opened.v1';
  static readonly topic = Topics.EnforcementEvents;

  @IsUUID() caseId: string;
  @IsUscc() uscc: string;
  @IsOptional() @IsUUID() approvalId?: string;
  @IsOptional() @IsUUID() inspectionId?: string;
  @IsString() @Length(1, 64) department: string;
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) violationCodes: string[];
}

export const PENALTY_KINDS = [
  'warning',
  'order_to_correct',
  'fine',
  'confiscation',
  'licence_suspension',
  'licence_revocation',
  'business_suspension',
  'industry_ban',
] as const;
export type PenaltyKind = (typeof PENALTY_KINDS)[number];

export class PenaltyV1 {
  @IsIn(PENALTY_KINDS) kind: PenaltyKind;
  /** Amount in yuan, for fines and confiscations. */
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) amount?: number;
}

export const LICENCE_ACTIONS = ['suspend', 'revoke', 'rectify'] as const;
export type LicenceActionKind = (typeof LICENCE_ACTIONS)[number];

export class LicenceActionV1 {
  @IsIn(LICENCE_ACTIONS) action: LicenceActionKind;
  /** For suspend: the licence is suspended until this date; for rectify: the rectification deadline. */
  @IsOptional() @IsDateString() until?: string;
  @IsString() @Length(1, 500) reason: string;
}

/** A penalty decision (行政处罚决定): back to the approver (licence action) and into the credit record. */
export class PenaltyDecidedV1 {
  static readonly type = 'backbone.enforcement.penalty-decided.v1';
  static readonly topic = Topics.EnforcementEvents;

  @IsUUID() caseId: string;
  @IsUUID() decisionId: string;
  @IsUscc() uscc: string;
  @IsOptional() @IsUUID() approvalId?: string;
  @IsString() @Length(1, 64) department: string;
  @IsString() @Length(1, 64) decisionNumber: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => PenaltyV1) penalties: PenaltyV1[];
  @IsOptional() @ValidateNested() @Type(() => LicenceActionV1) licenceAction?: LicenceActionV1;
  @IsDateString() decidedAt: string;
}

export const CASE_CLOSE_OUTCOMES = ['executed', 'no_penalty', 'transferred'] as const;
export type CaseCloseOutcome = (typeof CASE_CLOSE_OUTCOMES)[number];

/** A case was closed (after execution, without penalty, or by transfer). Lifts holds on approvals. */
export class CaseClosedV1 {
  static readonly type = 'backbone.enforcement.case-closed.v1';
  static readonly topic = Topics.EnforcementEvents;

  @IsUUID() caseId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) department: string;
  @IsIn(CASE_CLOSE_OUTCOMES) outcome: CaseCloseOutcome;
  @IsDateString() closedAt: string;
}

export const TRANSFER_TARGETS = ['department', 'judicial'] as const;
export type TransferTarget = (typeof TRANSFER_TARGETS)[number];

/**
 * A case (or clue) handed on (线索移送): to the competent department, which opens a case of its own,
 * or to the judicial authorities (移送司法机关) on a suspected crime.
 */
export class CaseTransferredV1 {
  static readonly type = 'backbone.enforcement.case-transferred.v1';
  static readonly topic = Topics.EnforcementEvents;

  @IsUUID() caseId: string;
  @IsUscc() uscc: string;
  @IsOptional() @IsUUID() approvalId?: string;
  @IsString() @Length(1, 64) fromDepartment: string;
  @IsIn(TRANSFER_TARGETS) target: TransferTarget;
  /** The receiving department (for a judicial transfer, the authority's name). */
  @IsString() @Length(1, 64) toDepartment: string;
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) violationCodes: string[];
  @IsString() @Length(1, 1000) reason: string;
  @IsDateString() transferredAt: string;
}
