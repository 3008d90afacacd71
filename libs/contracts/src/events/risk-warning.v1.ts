import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';

/** 风险预警级别: 蓝 (blue, general) < 黄 (yellow) < 橙 (orange) < 红 (red, most serious). */
export const RISK_WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type RiskWarningLevel = (typeof RISK_WARNING_LEVELS)[number];

/** The more serious of two levels. */
export function higherRiskLevel(a: RiskWarningLevel, b: RiskWarningLevel): RiskWarningLevel {
  return RISK_WARNING_LEVELS.indexOf(a) >= RISK_WARNING_LEVELS.indexOf(b) ? a : b;
}

/**
 * A risk warning is about a scope, not one entity: its events' CloudEvents subject (and Kafka key) is
 * `risk-warning:<warning id>`, so the raise and the lift of one warning stay in order (ADR 0071).
 */
export const RISK_WARNING_SUBJECT = /^risk-warning:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const riskWarningSubject = (warningId: string): string => `risk-warning:${warningId}`;

/**
 * 预警范围. An approval, task or entity is in scope when it is one of the listed entities, or when it
 * meets every dimension given (region prefix, licence item, industry); a dimension left empty does not
 * restrict. Approval and supervision know an approval's item and region but not the entity's industry:
 * a scope naming industries therefore names the licence items of those industries too (the raising
 * endpoint requires it), and `industry` is checked only where it is known (the inspection pool).
 */
export class RiskWarningScopeV1 {
  /** Division-code prefixes (2, 4 or 6 digits): 32 = Jiangsu, 3207 = Lianyungang, 320703 = one district. */
  @IsArray() @ArrayMaxSize(100) @Matches(/^(\d{2}|\d{4}|\d{6})$/, { each: true }) regionPrefixes: string[];
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 64, { each: true }) industries: string[];
  /** Approval (licence) item codes. */
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 64, { each: true }) licenceItemCodes: string[];
  /** Listed entities (USCCs): in scope whatever the other dimensions say. */
  @IsArray() @ArrayMaxSize(1000) @IsUscc({ each: true }) usccs: string[];
}

export interface RiskWarningTarget {
  uscc: string;
  regionCode: string;
  itemCode?: string;
  /** Only where known (the inspection pool); elsewhere the scope's licence items stand for its industries. */
  industry?: string | null;
}

/** Whether the scope covers the target (see RiskWarningScopeV1). */
export function riskWarningCovers(scope: RiskWarningScopeV1, target: RiskWarningTarget): boolean {
  if (scope.usccs.includes(target.uscc)) return true;
  const { regionPrefixes, industries, licenceItemCodes } = scope;
  if (regionPrefixes.length + industries.length + licenceItemCodes.length === 0) return false;
  if (regionPrefixes.length > 0 && !regionPrefixes.some((prefix) => target.regionCode.startsWith(prefix))) return false;
  if (licenceItemCodes.length > 0 && (target.itemCode === undefined || !licenceItemCodes.includes(target.itemCode))) return false;
  if (industries.length > 0 && target.industry !== undefined && (target.industry === null || !industries.includes(target.industry))) {
    return false;
  }
  return true;
}

/** A warning as a consumer keeps it: enough to decide whether it applies to a target at an instant. */
export interface HeldRiskWarning {
  warningId: string;
  level: RiskWarningLevel;
  scope: RiskWarningScopeV1;
  startsAt: Date;
  endsAt: Date;
  /** When it was lifted or expired; null while not ended. */
  endedAt: Date | null;
  raisedAt: Date;
}

/** Active at `at`: started, not past its end, not lifted. */
export function riskWarningActive(warning: HeldRiskWarning, at: Date): boolean {
  const t = at.getTime();
  return warning.startsAt.getTime() <= t && t < warning.endsAt.getTime() && (warning.endedAt === null || warning.endedAt.getTime() > t);
}

/** Of the warnings active at `at` that cover the target, the most serious (the earliest raised of equals); null if none. */
export function strongestRiskWarning<W extends HeldRiskWarning>(warnings: readonly W[], target: RiskWarningTarget, at: Date): W | null {
  let strongest: W | null = null;
  for (const warning of warnings) {
    if (!riskWarningActive(warning, at) || !riskWarningCovers(warning.scope, target)) continue;
    const rank = RISK_WARNING_LEVELS.indexOf(warning.level);
    const best = strongest ? RISK_WARNING_LEVELS.indexOf(strongest.level) : -1;
    if (rank > best || (strongest && rank === best && warning.raisedAt.getTime() < strongest.raisedAt.getTime())) strongest = warning;
  }
  return strongest;
}

/**
 * A per-level table from configuration, `blue:2,yellow:1,orange:1,red:1`: every level once, each a whole
 * number within [min, max]. Throws naming the problem (a service's config validation calls it).
 */
export function parseRiskLevelTable(text: string, min: number, max: number): Record<RiskWarningLevel, number> {
  const table: Partial<Record<RiskWarningLevel, number>> = {};
  for (const part of text.split(',')) {
    const [level, value, extra] = part.split(':').map((piece) => piece.trim());
    if (!(RISK_WARNING_LEVELS as readonly string[]).includes(level) || extra !== undefined) {
      throw new Error(`'${part}' is not level:value with a level of ${RISK_WARNING_LEVELS.join(', ')}`);
    }
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) throw new Error(`${level}: a whole number within ${min}..${max}`);
    if (table[level as RiskWarningLevel] !== undefined) throw new Error(`${level} is given twice`);
    table[level as RiskWarningLevel] = number;
  }
  const missing = RISK_WARNING_LEVELS.filter((level) => table[level] === undefined);
  if (missing.length > 0) throw new Error(`every level needs a value; missing ${missing.join(', ')}`);
  return table as Record<RiskWarningLevel, number>;
}

/**
 * A risk warning (风险预警, 000 三(二)3: level, start time, scope, items of concern) was raised by a
 * department or an operator. From `startsAt` to `endsAt`, unless lifted earlier: the departments that
 * supervise the scope are notified, their claim deadlines for new tasks in the scope tighten, approvals
 * in the scope are reviewed strictly and random inspections of the scope draw at a higher ratio
 * (docs/domain.md §8). Subject: `risk-warning:<warningId>`.
 */
export class RiskWarningRaisedV1 {
  static readonly type = 'backbone.supervision.risk-warning-raised.v1';
  static readonly topic = Topics.SupervisionEvents;
  static readonly subjectKind = 'risk-warning';

  @IsUUID() warningId: string;
  @Matches(/^[A-Za-z0-9._-]{1,64}$/) reference: string;
  @IsIn(RISK_WARNING_LEVELS) level: RiskWarningLevel;
  @IsString() @Length(1, 200) title: string;
  /** The department (or operator) that raised it. */
  @IsString() @Length(1, 64) raisedBy: string;
  @IsDateString() startsAt: string;
  @IsDateString() endsAt: string;
  @ValidateNested() @Type(() => RiskWarningScopeV1) scope: RiskWarningScopeV1;
  /** 警示事项: what the warning is about. */
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 500, { each: true }) concerns: string[];
  /** 防控措施: what the departments are asked to do. */
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 500, { each: true }) measures: string[];
  /** The departments that supervise the scope (from the catalog), notified: the warning is in their work queue. */
  @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @Length(1, 64, { each: true }) notifiedDepartments: string[];
  @IsDateString() raisedAt: string;
}

export const RISK_WARNING_END_REASONS = ['lifted', 'expired'] as const;
export type RiskWarningEndReason = (typeof RISK_WARNING_END_REASONS)[number];

/** A risk warning ended: lifted by its department or an operator, or expired at its `endsAt`. Normal rules again. */
export class RiskWarningLiftedV1 {
  static readonly type = 'backbone.supervision.risk-warning-lifted.v1';
  static readonly topic = Topics.SupervisionEvents;
  static readonly subjectKind = 'risk-warning';

  @IsUUID() warningId: string;
  @IsIn(RISK_WARNING_LEVELS) level: RiskWarningLevel;
  @IsIn(RISK_WARNING_END_REASONS) reason: RiskWarningEndReason;
  /** Who lifted it (`scheduler` when it expired). */
  @IsString() @Length(1, 64) liftedBy: string;
  @IsOptional() @IsString() @Length(1, 500) note?: string;
  @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @Length(1, 64, { each: true }) notifiedDepartments: string[];
  @IsDateString() liftedAt: string;
}

/**
 * A risk warning tightened a new supervision task's claim deadline. Subject: the entity; correlation:
 * the approval's loop, so the warning is in the approval's and the task's trail.
 */
export class TaskRiskWarningAppliedV1 {
  static readonly type = 'backbone.supervision.task-risk-warning-applied.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() taskId: string;
  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsUUID() warningId: string;
  @IsIn(RISK_WARNING_LEVELS) level: RiskWarningLevel;
  @IsString() @Length(1, 64) assignedDepartment: string;
  /** Working days the catalog gives to claim, and the (fewer) days the warning's level allows. */
  @IsInt() @Min(1) normalClaimDays: number;
  @IsInt() @Min(1) claimDays: number;
  @IsDateString() claimDeadline: string;
}

/**
 * A granted application in the scope of an active risk warning was recorded and flagged for stricter
 * review at the approver (docs/domain.md §8). Correlation: the approval's loop.
 */
export class ApprovalRiskReviewedV1 {
  static readonly type = 'backbone.approval.risk-reviewed.v1';
  static readonly topic = Topics.ApprovalEvents;

  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) itemCode: string;
  @IsString() @Length(1, 64) approverDepartment: string;
  @IsUUID() warningId: string;
  @IsIn(RISK_WARNING_LEVELS) level: RiskWarningLevel;
  @IsDateString() reviewedAt: string;
}
