import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';
import { INSPECTION_RESULT_CATEGORIES, InspectionResultCategory } from './inspection.v2';

/**
 * The bookkeeping of 双随机、一公开 (plan → task → draw → results → publication), published by the
 * random-inspection service so that readers (the console's duty figures) can count plans, draws,
 * completion and publication timeliness and coverage from events, never from its tables (ADR 0041).
 * The result itself, for enforcement, credit and the approver, stays `InspectionRecordedV2`.
 */

/** Strata of a frozen pool: K a key-supervision entity (重点监管对象), otherwise its credit tier. */
export const INSPECTION_STRATA = ['A', 'B', 'C', 'D', 'K'] as const;
export type InspectionStratum = (typeof INSPECTION_STRATA)[number];

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** Plans and tasks concern no one entity: their events are keyed by the plan or the task, so each stays in order. */
export const INSPECTION_PLAN_SUBJECT = new RegExp(`^inspection-plan:${UUID}$`);
export const INSPECTION_TASK_SUBJECT = new RegExp(`^inspection-task:${UUID}$`);
export const inspectionPlanSubject = (planId: string): string => `inspection-plan:${planId}`;
export const inspectionTaskSubject = (taskId: string): string => `inspection-task:${taskId}`;

/** A count per stratum (every stratum named, zero where none). */
export class StratumCountsV1 {
  @IsInt() @Min(0) A: number;
  @IsInt() @Min(0) B: number;
  @IsInt() @Min(0) C: number;
  @IsInt() @Min(0) D: number;
  @IsInt() @Min(0) K: number;
}

/** An annual spot-check plan (年度抽查计划) was published. Subject: `inspection-plan:<planId>`. */
export class InspectionPlanPublishedV1 {
  static readonly type = 'backbone.inspection.plan-published.v1';
  static readonly topic = Topics.InspectionEvents;
  static readonly subjectKind = 'inspection-plan';

  @IsUUID() planId: string;
  @IsString() @Length(1, 64) department: string;
  @IsInt() @Min(2000) @Max(2100) year: number;
  @IsString() @Length(1, 200) title: string;
  @IsDateString() publishedAt: string;
}

/**
 * A task's draw was made (a round; a later round replaces the earlier one's list): its entities are
 * assigned to the departments of the task as checks due by `checkDeadline` (working days from the draw).
 * Carries the frozen pool per stratum and what was drawn from it (the achieved sampling ratio), and the
 * size of the whole target register at the draw (for coverage). Subject: `inspection-task:<taskId>`.
 */
export class InspectionTaskDrawnV1 {
  static readonly type = 'backbone.inspection.task-drawn.v1';
  static readonly topic = Topics.InspectionEvents;
  static readonly subjectKind = 'inspection-task';

  @IsUUID() inspectionTaskId: string;
  @IsString() @Length(1, 64) taskReference: string;
  @IsOptional() @IsUUID() planId?: string;
  @IsString() @Length(1, 200) title: string;
  @IsString() @Length(1, 64) leadDepartment: string;
  /** Every department of the (joint) task, the lead first: each records its own result per drawn entity. */
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 64, { each: true }) departments: string[];
  @IsInt() @Min(1) round: number;
  @IsDateString() drawnAt: string;
  @IsDateString() checkDeadline: string;
  @ValidateNested() @Type(() => StratumCountsV1) poolByStratum: StratumCountsV1;
  @ValidateNested() @Type(() => StratumCountsV1) drawnByStratum: StratumCountsV1;
  /** Active entities in the whole target register at the draw, and those under key supervision among them. */
  @IsInt() @Min(0) registerEntities: number;
  @IsInt() @Min(0) registerKeyEntities: number;
}

/**
 * A department recorded its result for a drawn entity (the result itself is `InspectionRecordedV2`, same
 * `resultId` as its `inspectionId`): the check, its stratum and deadline, and the deadline by which the
 * result must be public (公示时限, working days from its entry). `checkCompletedAt` is set on the result
 * that completed the check (every department of the task has recorded). Subject: the USCC.
 */
export class InspectionResultRecordedV1 {
  static readonly type = 'backbone.inspection.result-recorded.v1';
  static readonly topic = Topics.InspectionEvents;

  @IsUUID() resultId: string;
  @IsUUID() checkId: string;
  @IsUUID() inspectionTaskId: string;
  @IsString() @Length(1, 64) taskReference: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) department: string;
  @IsIn(INSPECTION_STRATA) stratum: InspectionStratum;
  @IsIn(INSPECTION_RESULT_CATEGORIES) category: InspectionResultCategory;
  @IsDateString() inspectedAt: string;
  @IsDateString() recordedAt: string;
  @IsDateString() publishBy: string;
  @IsDateString() checkDeadline: string;
  @IsOptional() @IsDateString() checkCompletedAt?: string;
}

/** A recorded result was published (一公开), redacted, under the entity's USCC. Subject: the USCC. */
export class InspectionResultPublishedV1 {
  static readonly type = 'backbone.inspection.result-published.v1';
  static readonly topic = Topics.InspectionEvents;

  @IsUUID() resultId: string;
  @IsUUID() inspectionTaskId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) department: string;
  @IsDateString() publishBy: string;
  @IsDateString() publishedAt: string;
}
