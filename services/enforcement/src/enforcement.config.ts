import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsString, Matches, Max, Min } from 'class-validator';
import { PENALTY_KINDS, PenaltyKind } from '@backbone/contracts';
import { BaseServiceConfig, ConfigError, departmentList, DEPARTMENTS, loadConfig, parseApiKeys } from '@backbone/platform';
import { parseAnswerDays } from './complaints/complaint.rules';
import { DEFAULT_HOTLINE_ROUTES, parseHotlineRoutes } from './complaints/register-hotline-complaint/hotline-routes';
import { DEFAULT_REPAIRED_DECISION_PUBLICITY, parseRepairedDecisionPublicity } from './publicity/repaired-decision.rules';

const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

export class EnforcementConfig extends BaseServiceConfig {
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3003;
  override DATABASE_NAME = 'enforcement';

  /**
   * Departments whose clients post legal reviews (法制审核机构), comma-separated. They review the
   * major decisions of every enforcing department, and maintain the discretion benchmarks.
   */
  @Matches(/^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*$/) LEGAL_REVIEW_DEPARTMENTS = '320700-LEGAL';

  /** Fines and confiscations above this total (yuan) make a decision major: legal review first. */
  @Transform(toNumber) @IsNumber() @Min(0) MAJOR_FINE_THRESHOLD = 10000;

  /** Publication period (days) per penalty kind, `kind=days,…`; a decision is shown for its longest. */
  @Matches(new RegExp(`^(${PENALTY_KINDS.join('|')})=\\d{1,5}(,(${PENALTY_KINDS.join('|')})=\\d{1,5})*$`))
  PUBLICATION_DAYS =
    'warning=90,order_to_correct=90,fine=365,confiscation=365,licence_suspension=1095,licence_revocation=1095,business_suspension=1095,industry_ban=1095';

  /**
   * What a credit repair granted at credit does to the published decision it covers, per severity:
   * `severity=withdraw|annotate,…` (withdraw: off the public list; annotate: stays, marked repaired).
   */
  @IsString() REPAIRED_DECISION_PUBLICITY = DEFAULT_REPAIRED_DECISION_PUBLICITY;

  /** Working days to answer a complaint, per kind (投诉, 举报, 紧急), counted from registration. */
  @Matches(/^(complaint|report|urgent)=[1-9]\d{0,2}(,(complaint|report|urgent)=[1-9]\d{0,2}){2}$/)
  COMPLAINT_ANSWER_WORKING_DAYS = 'complaint=10,report=15,urgent=1';

  /** Complaints about one entity within this many days of each other are linked as repeats. */
  @Transform(toNumber) @IsInt() @Min(1) COMPLAINT_REPEAT_WINDOW_DAYS = 90;

  /** How often the complaint deadline sweep runs (reminders, escalations); 0: never (operators can run it by REST). */
  @Transform(toNumber) @IsInt() @Min(0) COMPLAINT_SWEEP_INTERVAL_MS = 60_000;

  /** Role `enforcer`: departments that open and conduct enforcement cases and handle complaints. */
  @Matches(DEPARTMENTS) ENFORCEMENT_DEPARTMENTS = '320700-SAMR,320700-HEALTH,320700-MPA,320700-HOUSING';

  override roleTable() {
    return {
      ...super.roleTable(),
      enforcer: departmentList(this.ENFORCEMENT_DEPARTMENTS),
      'legal-review': departmentList(this.LEGAL_REVIEW_DEPARTMENTS),
      hotline: departmentList(this.HOTLINE_DEPARTMENTS),
    };
  }

  /** Clients of the 12345 hotline's system, comma-separated: they use the idempotent intake. */
  @Matches(/^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*$/) HOTLINE_DEPARTMENTS = '320700-HOTLINE';

  /**
   * Where the hotline's work orders posted at the integration intake go, per category:
   * `category=DEPT[:kind],…`, every category once (kind: complaint by default).
   */
  @IsString() HOTLINE_ROUTES = DEFAULT_HOTLINE_ROUTES;
}

export function hotlineDepartments(config: EnforcementConfig): string[] {
  return config.HOTLINE_DEPARTMENTS.split(',');
}

/** The departments of this system: those a registered client acts for. A complaint goes only to one of them. */
export function knownDepartments(config: EnforcementConfig): Set<string> {
  return new Set(parseApiKeys(config.API_KEYS).values());
}

export function legalReviewDepartments(config: EnforcementConfig): string[] {
  return config.LEGAL_REVIEW_DEPARTMENTS.split(',');
}

/** Days each penalty kind stays published (kinds not named: 365). */
export function publicationDays(config: Pick<EnforcementConfig, 'PUBLICATION_DAYS'>): Record<PenaltyKind, number> {
  const days = Object.fromEntries(PENALTY_KINDS.map((kind) => [kind, 365])) as Record<PenaltyKind, number>;
  for (const pair of config.PUBLICATION_DAYS.split(',')) {
    const [kind, value] = pair.split('=');
    days[kind as PenaltyKind] = Number(value);
  }
  return days;
}

export const loadEnforcementConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const config = loadConfig(EnforcementConfig, env);
  try {
    parseAnswerDays(config.COMPLAINT_ANSWER_WORKING_DAYS);
    parseHotlineRoutes(config.HOTLINE_ROUTES);
    parseRepairedDecisionPublicity(config.REPAIRED_DECISION_PUBLICITY);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  return config;
};
