import { Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Min, ValidateNested } from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';
import { APPROVAL_KINDS, APPROVAL_OUTCOMES, ApprovalKind, ApprovalOutcome } from './approval-decided.v1';

/** Approval power delegated down a level (审批权限下放): the supervising level follows it. */
export class DelegationV1 {
  /** Division code of the level that held the power before. */
  @Matches(/^\d{6}$/) fromRegionCode: string;
  @IsString() @Length(1, 64) fromDepartment: string;
}

/** Entrusted approval (委托审批): the entrusting department stays answerable; the relationship is explicit. */
export class EntrustmentV1 {
  @IsString() @Length(1, 64) entrustingDepartment: string;
  @IsString() @Length(1, 200) agreement: string;
}

/**
 * v2 of `approval decided`: v1 plus delegation and entrustment. Published beside v1 (a v1 consumer
 * refuses fields it does not know); producers emit v2, consumers read both while they move.
 */
export class ApprovalDecidedV2 {
  static readonly type = 'backbone.approval.decided.v2';
  static readonly topic = Topics.ApprovalEvents;

  @IsUUID() approvalId: string;
  @IsInt() @Min(1) version: number;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 200) entityName: string;
  @IsString() @Length(1, 64) itemCode: string;
  @Matches(/^\d{6}$/) regionCode: string;
  @IsString() @Length(1, 64) approverDepartment: string;
  @IsIn(APPROVAL_KINDS) kind: ApprovalKind;
  @IsIn(APPROVAL_OUTCOMES) outcome: ApprovalOutcome;
  @IsOptional() @IsString() @Length(1, 64) licenceNumber?: string;
  @IsDateString() decidedAt: string;
  @IsOptional() @IsDateString() validUntil?: string;
  @IsOptional() @ValidateNested() @Type(() => DelegationV1) delegation?: DelegationV1;
  @IsOptional() @ValidateNested() @Type(() => EntrustmentV1) entrustment?: EntrustmentV1;
}

export const APPROVAL_CHANGES = ['amended', 'renewed', 'cancelled', 'converted_to_filing', 'converted_to_commitment'] as const;
export type ApprovalChange = (typeof APPROVAL_CHANGES)[number];

/**
 * An approval was amended, renewed, cancelled, or its item turned into a filing or a commitment.
 * Carries the approval as it now stands (version increased). Supervision updates the existing task.
 */
export class ApprovalChangedV1 {
  static readonly type = 'backbone.approval.changed.v1';
  static readonly topic = Topics.ApprovalEvents;

  @IsUUID() approvalId: string;
  @IsInt() @Min(2) version: number;
  @IsIn(APPROVAL_CHANGES) change: ApprovalChange;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 200) entityName: string;
  @IsString() @Length(1, 64) itemCode: string;
  @Matches(/^\d{6}$/) regionCode: string;
  @IsString() @Length(1, 64) approverDepartment: string;
  @IsIn(APPROVAL_KINDS) kind: ApprovalKind;
  @IsOptional() @IsString() @Length(1, 64) licenceNumber?: string;
  @IsOptional() @IsDateString() validUntil?: string;
  /** For a cancelled approval: whether the activity stays under supervision (取消审批后仍需监管). */
  @IsBoolean() stillSupervised: boolean;
  @IsString() @Length(1, 500) reason: string;
  @IsDateString() changedAt: string;
}

export const LICENCE_STATUSES = ['active', 'suspended', 'revoked', 'expired', 'cancelled'] as const;
export type LicenceStatusV1 = (typeof LICENCE_STATUSES)[number];

/** A licence changed state (one explicit transition table in the approval service), with its cause. */
export class LicenceStatusChangedV1 {
  static readonly type = 'backbone.approval.licence-status-changed.v1';
  static readonly topic = Topics.ApprovalEvents;

  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsOptional() @IsString() @Length(1, 64) licenceNumber?: string;
  @IsIn(LICENCE_STATUSES) from: LicenceStatusV1;
  @IsIn(LICENCE_STATUSES) to: LicenceStatusV1;
  /** For suspended: until when. */
  @IsOptional() @IsDateString() until?: string;
  @IsString() @Length(1, 500) reason: string;
  /** The event that caused the change (a penalty, a commitment breach), if any. */
  @IsOptional() @IsString() @Length(1, 100) causeEventId?: string;
  @IsDateString() changedAt: string;
}
