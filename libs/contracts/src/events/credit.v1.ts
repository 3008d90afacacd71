import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateNested,
} from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';

export const CREDIT_TIERS = ['A', 'B', 'C', 'D'] as const;
export type CreditTier = (typeof CREDIT_TIERS)[number];

export const CREDIT_LISTS = ['serious_dishonesty', 'abnormal_operation'] as const;
export type CreditList = (typeof CREDIT_LISTS)[number];

/** Joint-punishment measures (联合惩戒) other services apply. Add new ones here; never rename one. */
export const JOINT_PUNISHMENT_MEASURES = [
  'no_commitment_approval', // 不适用告知承诺制
  'stricter_review', // 从严审核
  'higher_inspection_ratio', // 提高抽查比例和频次
  'no_public_funding', // 限制政府资金支持
] as const;
export type JointPunishmentMeasure = (typeof JOINT_PUNISHMENT_MEASURES)[number];

export class CreditFactV1 {
  /** e.g. `penalty`, `commitment_breach`, `list_entry`, `repair` */
  @IsString() @Length(1, 64) kind: string;
  @IsString() @Length(1, 500) description: string;
  @IsOptional() @IsString() @Length(1, 100) sourceEventId?: string;
}

/**
 * An entity's credit standing changed: tier, lists and the measures they carry, with the facts that
 * produced them. Approval (check on every application, joint punishment) and supervision (inspection
 * ratio) keep their own copy from these.
 */
export class CreditStatusChangedV1 {
  static readonly type = 'backbone.credit.status-changed.v1';
  static readonly topic = Topics.CreditEvents;

  @IsUscc() uscc: string;
  @IsIn(CREDIT_TIERS) tier: CreditTier;
  @IsOptional() @IsIn(CREDIT_TIERS) previousTier?: CreditTier;
  @IsArray() @IsIn(CREDIT_LISTS, { each: true }) lists: CreditList[];
  @IsArray() @IsIn(JOINT_PUNISHMENT_MEASURES, { each: true }) measures: JointPunishmentMeasure[];
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => CreditFactV1) facts: CreditFactV1[];
  @IsDateString() effectiveAt: string;
}

/** Incentives for trustworthy entities (守信激励) other services apply. Add new ones here; never rename one. */
export const RED_LIST_INCENTIVES = [
  'fast_track_approval', // 绿色通道、容缺受理: the approver flags the application for the fast track
  'fewer_inspections', // 减少抽查频次: left out of general random-inspection pools within a window after an inspection
] as const;
export type RedListIncentive = (typeof RED_LIST_INCENTIVES)[number];

/**
 * An entity entered or left the red list (守信激励名单, 004 二(二)2 红黑名单公示制度): the incentives it now
 * gets (none when it left). Beside CreditStatusChangedV1, which it does not change (ADR 0072).
 */
export class CreditRedListChangedV1 {
  static readonly type = 'backbone.credit.red-list-changed.v1';
  static readonly topic = Topics.CreditEvents;

  @IsUscc() uscc: string;
  @IsBoolean() onRedList: boolean;
  @IsArray() @IsIn(RED_LIST_INCENTIVES, { each: true }) incentives: RedListIncentive[];
  @IsString() @Length(1, 500) reason: string;
  @IsDateString() effectiveAt: string;
}

/** One record entry a repair covered: its kind and, for a penalty, the enforcement case and decision it records. */
export class RepairedEntryV1 {
  @IsString() @Length(1, 64) entryId: string;
  /** e.g. `penalty`, `commitment_breach`, `inspection`, `list_entry` */
  @IsString() @Length(1, 64) kind: string;
  @IsOptional() @IsUUID() caseId?: string;
  @IsOptional() @IsString() @Length(1, 64) decisionNumber?: string;
}

/**
 * A credit authority granted a credit repair (信用修复): the entries it covers are repaired. Enforcement
 * withdraws or annotates the published penalty decisions among them (行政处罚信息 publicity, 001 三(二)5
 * "对修复状况进行记录和更新"); CreditStatusChangedV1 carries the new tier and lists as before.
 */
export class CreditRepairApprovedV1 {
  static readonly type = 'backbone.credit.repair-approved.v1';
  static readonly topic = Topics.CreditEvents;

  @IsUUID() repairId: string;
  @IsUscc() uscc: string;
  /** The entry the application named. */
  @IsString() @Length(1, 64) entryId: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => RepairedEntryV1) repaired: RepairedEntryV1[];
  /** The credit authority department that granted it. */
  @IsString() @Length(1, 64) decidedBy: string;
  @IsDateString() repairedAt: string;
}
