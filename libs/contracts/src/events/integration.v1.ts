import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDateString, IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';
import { APPROVAL_KINDS, APPROVAL_OUTCOMES, type ApprovalKind, type ApprovalOutcome } from './approval-decided.v1';
import { INSPECTION_RESULTS, type InspectionResult, ViolationV1 } from './supervision.v1';

/**
 * Events other agencies' systems post to the integration service's CloudEvents intake
 * (POST /integration/events at the gateway). Which department may post which type is the intake's
 * configuration (INTAKE_RIGHTS, published in its AsyncAPI document). An accepted event is published
 * unchanged on the integration topic, with `source` naming the sending department.
 */

/** Full RFC 3339 date-time (with a time zone): no week, ordinal or basic-format dates. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const rfc3339 = { message: '$property must be an RFC 3339 date-time, e.g. 2026-11-30T09:30:00+08:00' };

/** A sector's own approval system (e.g. a health commission's) decided an application. */
export class SectorApprovalDecidedV1 {
  static readonly type = 'backbone.integration.sector-approval-decided.v1';
  static readonly topic = Topics.IntegrationEvents;
  /** The payload field that must name the sending department. */
  static readonly senderField = 'approverDepartment';

  /** The sector system's own application number. */
  @IsString() @Length(1, 64) applicationNumber: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 200) entityName: string;
  @IsString() @Length(1, 64) itemCode: string;
  @Matches(/^\d{6}$/) regionCode: string;
  @IsString() @Length(1, 64) approverDepartment: string;
  @IsIn(APPROVAL_KINDS) kind: ApprovalKind;
  @IsIn(APPROVAL_OUTCOMES) outcome: ApprovalOutcome;
  @IsOptional() @IsString() @Length(1, 64) licenceNumber?: string;
  @IsDateString({ strict: true }) @Matches(RFC3339, rfc3339) decidedAt: string;
  @IsOptional() @IsDateString({ strict: true }) @Matches(RFC3339, rfc3339) validUntil?: string;
}

export const COMPLAINT_CATEGORIES = ['food_safety', 'product_quality', 'pricing', 'unlicensed_operation', 'environment', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/** The 12345 government service hotline's system registered a complaint about a market entity (投诉举报). */
export class HotlineComplaintReceivedV1 {
  static readonly type = 'backbone.integration.hotline-complaint-received.v1';
  static readonly topic = Topics.IntegrationEvents;
  static readonly senderField = 'hotlineDepartment';

  /** The hotline's work-order number (工单编号). */
  @IsString() @Length(1, 64) ticketNumber: string;
  @IsString() @Length(1, 64) hotlineDepartment: string;
  @IsUscc() uscc: string;
  @IsOptional() @IsString() @Length(1, 200) entityName?: string;
  @IsIn(COMPLAINT_CATEGORIES) category: ComplaintCategory;
  /** What the caller reported, without the caller's identity (whistle-blower protection). */
  @IsString() @Length(1, 2000) content: string;
  @Matches(/^\d{6}$/) regionCode: string;
  @IsDateString({ strict: true }) @Matches(RFC3339, rfc3339) receivedAt: string;
}

/** A sector system (e.g. a drug administration's) recorded an inspection's result. */
export class SectorInspectionRecordedV1 {
  static readonly type = 'backbone.integration.sector-inspection-recorded.v1';
  static readonly topic = Topics.IntegrationEvents;
  static readonly senderField = 'department';

  /** The sector system's own inspection number. */
  @IsString() @Length(1, 64) inspectionNumber: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) department: string;
  @IsString() @Length(1, 100) inspector: string;
  @IsIn(INSPECTION_RESULTS) result: InspectionResult;
  @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ViolationV1) violations: ViolationV1[];
  @IsDateString({ strict: true }) @Matches(RFC3339, rfc3339) inspectedAt: string;
}

/** The types the intake accepts, each with the payload field that must name the sender. */
export const INTAKE_EVENT_CLASSES = [SectorApprovalDecidedV1, HotlineComplaintReceivedV1, SectorInspectionRecordedV1] as const;
