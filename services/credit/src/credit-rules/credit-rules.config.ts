import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import {
  CREDIT_LISTS,
  CREDIT_TIERS,
  CreditList,
  CreditTier,
  describeValidationErrors,
  INSPECTION_RESULT_CATEGORIES,
  InspectionResultCategory,
  JOINT_PUNISHMENT_MEASURES,
  JointPunishmentMeasure,
  PENALTY_KINDS,
  PenaltyKind,
  RED_LIST_INCENTIVES,
  RedListIncentive,
} from '@backbone/contracts';

/** Points a penalty kind adds to the score; a serious kind may force a tier by itself. */
export class PenaltyPointsRule {
  @IsIn(PENALTY_KINDS) kind: PenaltyKind;
  @IsInt() @Min(0) points: number;
  @IsOptional() @IsIn(CREDIT_TIERS) forcesTier?: CreditTier;
}

/** Scores up to `maxPoints` (inclusive) get `tier`; thresholds ascend; a score above the last gets D. */
export class TierThreshold {
  @IsIn(CREDIT_TIERS) tier: CreditTier;
  @IsInt() @Min(0) maxPoints: number;
}

export const LIST_ENTRY_TRIGGERS = [
  'penalty_kind',
  'fine_at_least',
  'commitment_breached',
  'inspection_violation',
  'inspection_category',
] as const;
export type ListEntryTrigger = (typeof LIST_ENTRY_TRIGGERS)[number];

/** When a new fact puts the entity on a list. */
export class ListEntryRule {
  @IsString() @Length(1, 64) id: string;
  @IsIn(CREDIT_LISTS) list: CreditList;
  @IsIn(LIST_ENTRY_TRIGGERS) when: ListEntryTrigger;
  /** For `penalty_kind`: any of these kinds in the decision. */
  @IsOptional() @IsArray() @IsIn(PENALTY_KINDS, { each: true }) penaltyKinds?: PenaltyKind[];
  /** For `fine_at_least`: a fine or confiscation of at least this many yuan. */
  @IsOptional() @IsNumber() @Min(0) amount?: number;
  /** For `inspection_violation`: a non-compliant inspection found one of these violation codes. */
  @IsOptional() @IsArray() @IsString({ each: true }) violationCodes?: string[];
  /** For `inspection_category`: an inspection result (v2) of one of these standard categories. */
  @IsOptional() @IsArray() @IsIn(INSPECTION_RESULT_CATEGORIES, { each: true }) categories?: InspectionResultCategory[];
  /** Where the rule comes from. */
  @IsString() @Length(1, 500) source: string;
}

/** What a list carries and how one leaves it. */
export class ListRule {
  @IsIn(CREDIT_LISTS) list: CreditList;
  @IsArray() @IsIn(JOINT_PUNISHMENT_MEASURES, { each: true }) measures: JointPunishmentMeasure[];
  /** Being on the list makes the tier at least this bad. */
  @IsIn(CREDIT_TIERS) tierAtLeast: CreditTier;
  /** Exit only through an approved repair, and not before this many months on the list (minimum publication period). */
  @IsInt() @Min(0) minimumMonthsBeforeRepair: number;
  @IsString() @Length(1, 500) source: string;
}

export class RepairRules {
  /** A penalty (or breach, or failed inspection) may be repaired after this many months of publication. */
  @IsInt() @Min(0) factMinimumMonths: number;
  @IsBoolean() requireRectificationEvidence: boolean;
  @IsBoolean() requireCommitment: boolean;
}

/**
 * Who is on the red list (守信激励名单) and what it brings: tier A, on no list, nothing counted against it,
 * no penalty, breach or failed inspection (even repaired) within `cleanMonths`, and at least
 * `minimumCompliantInspections` compliant inspections within them (docs/domain.md §6).
 */
export class RedListRule {
  @IsInt() @Min(1) cleanMonths: number;
  @IsInt() @Min(0) minimumCompliantInspections: number;
  @IsArray() @IsIn(RED_LIST_INCENTIVES, { each: true }) incentives: RedListIncentive[];
  @IsString() @Length(1, 500) source: string;
}

/**
 * Credit rules as data (信用分级分类监管): points per fact kind, tier thresholds, list entry rules, the
 * measures each list carries, publication and repair periods. Replace them with CREDIT_RULES_JSON;
 * they are validated at boot.
 */
export class CreditRules {
  @IsArray() @ValidateNested({ each: true }) @Type(() => PenaltyPointsRule) penaltyPoints: PenaltyPointsRule[];
  @IsInt() @Min(0) nonCompliantInspectionPoints: number;
  @IsInt() @Min(0) commitmentBreachPoints: number;
  /** Conduct facts older than this stop counting for the tier. */
  @IsInt() @Min(1) lookbackMonths: number;
  /** Conduct facts are shown by the public query for this long (publication period, 公示期). */
  @IsInt() @Min(1) publicationMonths: number;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => TierThreshold) tiers: TierThreshold[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => ListEntryRule) listEntry: ListEntryRule[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => ListRule) lists: ListRule[];
  @ValidateNested() @Type(() => RepairRules) repair: RepairRules;
  /** Red list (守信激励); rules given without it take the default. */
  @IsOptional() @ValidateNested() @Type(() => RedListRule) redList?: RedListRule;
}

const SEEDS = '000 三(四)3-4; 001 三(二)2,5-6; 004 二(二)';

export const DEFAULT_RED_LIST_RULE: RedListRule = {
  cleanMonths: 24,
  minimumCompliantInspections: 1,
  incentives: ['fast_track_approval', 'fewer_inspections'],
  source:
    '004 二(二)2 建立市场主体守信激励、失信惩戒机制, 红黑名单公示制度; 000 三(四)3 信用好、风险低的降低抽查比例和频次; 001 三(二)2 (the same)',
};

/** The rules the service runs with unless CREDIT_RULES_JSON replaces them. Sources: the seed documents. */
export const DEFAULT_CREDIT_RULES: CreditRules = {
  penaltyPoints: [
    { kind: 'warning', points: 1 },
    { kind: 'order_to_correct', points: 1 },
    { kind: 'fine', points: 3 },
    { kind: 'confiscation', points: 4 },
    { kind: 'licence_suspension', points: 6 },
    { kind: 'business_suspension', points: 6 },
    { kind: 'licence_revocation', points: 10, forcesTier: 'D' },
    { kind: 'industry_ban', points: 10, forcesTier: 'D' },
  ],
  nonCompliantInspectionPoints: 2,
  commitmentBreachPoints: 10,
  lookbackMonths: 36,
  publicationMonths: 36,
  tiers: [
    { tier: 'A', maxPoints: 0 },
    { tier: 'B', maxPoints: 4 },
    { tier: 'C', maxPoints: 9 },
  ],
  listEntry: [
    {
      id: 'revocation-or-ban',
      list: 'serious_dishonesty',
      when: 'penalty_kind',
      penaltyKinds: ['licence_revocation', 'industry_ban'],
      source: `${SEEDS}: serious violations (吊销许可证, 行业禁入) → 严重失信主体名单, joint punishment`,
    },
    {
      id: 'heavy-fine',
      list: 'serious_dishonesty',
      when: 'fine_at_least',
      amount: 1_000_000,
      source: `${SEEDS}; 000 三(五): heavy fines (较大数额罚款) mark serious violations`,
    },
    {
      id: 'commitment-breach',
      list: 'serious_dishonesty',
      when: 'commitment_breached',
      source: '000 三(四)4; 003 row 1: a false commitment is dishonesty written into the credit record',
    },
    {
      id: 'cannot-be-contacted',
      list: 'abnormal_operation',
      when: 'inspection_category',
      categories: ['cannot_be_contacted', 'not_published_information'],
      source:
        '004 二(一)1 经营异常名录: an inspection finds the entity cannot be contacted at its registered address, or it did not publish what it must',
    },
    {
      id: 'unreachable-or-unreported',
      list: 'abnormal_operation',
      when: 'inspection_violation',
      violationCodes: ['ADDRESS-UNREACHABLE', 'ANNUAL-REPORT-MISSING', 'FALSE-DISCLOSURE'],
      source:
        '004 二(一)1 经营异常名录和违法经营者黑名单制度: unreachable at the registered address, annual report missing, false disclosure',
    },
  ],
  lists: [
    {
      list: 'serious_dishonesty',
      measures: ['no_commitment_approval', 'stricter_review', 'higher_inspection_ratio', 'no_public_funding'],
      tierAtLeast: 'D',
      minimumMonthsBeforeRepair: 12,
      source: `${SEEDS}: 一处违法、处处受限; 001 三(二)5 信用修复 (整改失信、信用承诺…)`,
    },
    {
      list: 'abnormal_operation',
      measures: ['higher_inspection_ratio'],
      tierAtLeast: 'C',
      minimumMonthsBeforeRepair: 0,
      source: '004 二(一)1; 000 三(四)3: dishonest / high risk → higher inspection ratio',
    },
  ],
  repair: { factMinimumMonths: 3, requireRectificationEvidence: true, requireCommitment: true },
  redList: DEFAULT_RED_LIST_RULE,
};

const TIER_ORDER: readonly CreditTier[] = CREDIT_TIERS;

/** Validates rules (shape and consistency); returns the problems, empty when they are usable. */
export function creditRulesProblems(rules: CreditRules): string[] {
  const problems = describeValidationErrors(validateSync(rules));
  if (problems.length > 0) return problems;
  for (const list of CREDIT_LISTS) {
    if (rules.lists.filter((rule) => rule.list === list).length !== 1) problems.push(`lists: needs exactly one rule for ${list}`);
  }
  for (let i = 1; i < rules.tiers.length; i++) {
    const [before, after] = [rules.tiers[i - 1], rules.tiers[i]];
    if (after.maxPoints <= before.maxPoints || TIER_ORDER.indexOf(after.tier) <= TIER_ORDER.indexOf(before.tier)) {
      problems.push('tiers: thresholds must ascend in points and in tier (A before B before C)');
    }
  }
  for (const rule of rules.listEntry) {
    if (rule.when === 'penalty_kind' && !rule.penaltyKinds?.length) problems.push(`listEntry ${rule.id}: penalty_kind needs penaltyKinds`);
    if (rule.when === 'fine_at_least' && rule.amount === undefined) problems.push(`listEntry ${rule.id}: fine_at_least needs amount`);
    if (rule.when === 'inspection_category' && !rule.categories?.length)
      problems.push(`listEntry ${rule.id}: inspection_category needs categories`);
    if (rule.when === 'inspection_violation' && !rule.violationCodes?.length)
      problems.push(`listEntry ${rule.id}: inspection_violation needs violationCodes`);
  }
  if (new Set(rules.listEntry.map((rule) => rule.id)).size !== rules.listEntry.length) problems.push('listEntry: rule ids must be unique');
  return problems;
}

/** Parses CREDIT_RULES_JSON (or takes the defaults); throws naming every problem. */
export function parseCreditRules(json: string | undefined): CreditRules {
  let plain: unknown = DEFAULT_CREDIT_RULES;
  if (json !== undefined && json !== '') {
    try {
      plain = JSON.parse(json);
    } catch (error) {
      throw new Error(`CREDIT_RULES_JSON: not JSON (${(error as Error).message})`);
    }
  }
  const rules = plainToInstance(CreditRules, plain);
  const problems = creditRulesProblems(rules);
  if (problems.length > 0) throw new Error(`CREDIT_RULES_JSON: ${problems.join('; ')}`);
  return rules;
}

export function listRule(rules: CreditRules, list: CreditList): ListRule {
  const rule = rules.lists.find((candidate) => candidate.list === list);
  if (!rule) throw new Error(`no list rule for ${list}`);
  return rule;
}
