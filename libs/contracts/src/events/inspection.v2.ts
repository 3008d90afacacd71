import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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
import { INSPECTION_RESULTS, InspectionResult, ViolationV1 } from './supervision.v1';

/**
 * The standard result categories of a spot check (抽查检查结果), for ad-hoc and random inspections alike.
 * Never rename one; add new ones at the end.
 */
export const INSPECTION_RESULT_CATEGORIES = [
  'no_problem', // 未发现问题
  'ordered_to_correct', // 发现问题已责令改正
  'further_handling', // 发现问题待后续处理 (→ an enforcement case)
  'not_operating', // 未发现开展本次抽查涉及的经营活动
  'cannot_be_contacted', // 通过登记的住所(经营场所)无法联系 (→ abnormal-operation list)
  'refused_inspection', // 不配合检查情节严重
  'not_published_information', // 未按规定公示应当公示的信息
] as const;
export type InspectionResultCategory = (typeof INSPECTION_RESULT_CATEGORIES)[number];

/** Categories that name violations (at least one); the others name none. */
export const CATEGORIES_WITH_VIOLATIONS: readonly InspectionResultCategory[] = ['ordered_to_correct', 'further_handling'];

/** The binary outcome v1 readers knew: no problem, or the activity not run, is compliant. */
export function inspectionResultOf(category: InspectionResultCategory): InspectionResult {
  return category === 'no_problem' || category === 'not_operating' ? INSPECTION_RESULTS[0] : INSPECTION_RESULTS[1];
}

export const INSPECTION_PROGRAMMES = ['ad_hoc', 'random'] as const;
export type InspectionProgramme = (typeof INSPECTION_PROGRAMMES)[number];

/**
 * v2 of the one inspection-result contract (`inspection recorded`), shared by ad-hoc inspections
 * (supervision, `POST /inspections`) and random inspections (双随机, the inspection service): the
 * standard result category, the items inspected, the team and the evidence references. Carried on the
 * inspection topic by both producers. Readers: enforcement opens a case on `further_handling`; credit
 * files every result and lists `cannot_be_contacted` as abnormal operation; the approver of
 * `approvalId` sees it on the approval (and, through the correlation id, in its trail).
 * v1 (`backbone.supervision.inspection-recorded.v1`) stays readable for events already published.
 */
export class InspectionRecordedV2 {
  static readonly type = 'backbone.inspection.recorded.v2';
  static readonly topic = Topics.InspectionEvents;

  @IsUUID() inspectionId: string;
  @IsIn(INSPECTION_PROGRAMMES) programme: InspectionProgramme;
  /** Ad hoc: the supervision task inspected, if any. */
  @IsOptional() @IsUUID() supervisionTaskId?: string;
  /** Random: the spot-check task and its reference. */
  @IsOptional() @IsUUID() inspectionTaskId?: string;
  @IsOptional() @IsString() @Length(1, 64) taskReference?: string;
  /** The approval (licence) the result concerns, if any: its approver gets the result back. */
  @IsOptional() @IsUUID() approvalId?: string;
  @IsUscc() uscc: string;
  /** The department that inspected and answers for the result (in a joint task, each its own items). */
  @IsString() @Length(1, 64) department: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @IsString({ each: true }) @Length(1, 100, { each: true }) inspectors: string[];
  @IsIn(INSPECTION_RESULT_CATEGORIES) category: InspectionResultCategory;
  /** Derived from the category (inspectionResultOf), for readers of the binary outcome. */
  @IsIn(INSPECTION_RESULTS) result: InspectionResult;
  @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ViolationV1) violations: ViolationV1[];
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 64, { each: true }) itemCodes: string[];
  /** References to the evidence (files, records) kept by the inspecting department; never published. */
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 500, { each: true }) evidenceRefs: string[];
  @IsDateString() inspectedAt: string;
}

/** A drawn entity's check is near its deadline (reminder) or past it (escalated to the lead department). */
export class InspectionCheckOverdueV1 {
  static readonly type = 'backbone.inspection.check-overdue.v1';
  static readonly topic = Topics.InspectionEvents;

  @IsUUID() checkId: string;
  @IsUUID() inspectionTaskId: string;
  @IsString() @Length(1, 64) taskReference: string;
  @IsUscc() uscc: string;
  @IsIn(['reminder', 'escalated']) stage: 'reminder' | 'escalated';
  /** Departments of the task whose result is still missing. */
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) missingDepartments: string[];
  @IsString() @Length(1, 64) leadDepartment: string;
  @IsDateString() deadline: string;
}
