import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDateString, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';

export const ROUTING_RULES = ['integrated', 'separated'] as const;
export type RoutingRule = (typeof ROUTING_RULES)[number];

/** Supervision routed an approval to the department that must supervise it (双推送, first leg). */
export class TaskAssignedV1 {
  static readonly type = 'backbone.supervision.task-assigned.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() taskId: string;
  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) itemCode: string;
  @IsString() @Length(1, 64) assignedDepartment: string;
  @IsIn(ROUTING_RULES) routingRule: RoutingRule;
  @IsDateString() claimDeadline: string;
}

/** No catalog entry matched the approval: a supervision vacuum (监管真空), flagged, never dropped. */
export class ApprovalUnroutedV1 {
  static readonly type = 'backbone.supervision.approval-unrouted.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) itemCode: string;
  @Matches(/^\d{6}$/) regionCode: string;
  @IsString() @Length(1, 500) reason: string;
}

/** The responsible department claimed the task (双反馈 to the approver). */
export class TaskClaimedV1 {
  static readonly type = 'backbone.supervision.task-claimed.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() taskId: string;
  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) department: string;
  @IsString() @Length(1, 100) handler: string;
  @IsDateString() claimedAt: string;
}

export class ViolationV1 {
  /** Violation code, the key of the discretion benchmark in enforcement. */
  @IsString() @Length(1, 64) code: string;
  @IsString() @Length(1, 1000) description: string;
}

export const INSPECTION_RESULTS = ['compliant', 'non_compliant'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

/** An inspection's result, with the violations found (to enforcement, credit and the approver). */
export class InspectionRecordedV1 {
  static readonly type = 'backbone.supervision.inspection-recorded.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() inspectionId: string;
  @IsOptional() @IsUUID() taskId?: string;
  @IsOptional() @IsUUID() approvalId?: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) department: string;
  @IsString() @Length(1, 100) inspector: string;
  @IsIn(INSPECTION_RESULTS) result: InspectionResult;
  @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ViolationV1) violations: ViolationV1[];
  @IsDateString() inspectedAt: string;
}
