import { Transform } from 'class-transformer';
import { IsInt, IsNumber, Matches, Max, Min } from 'class-validator';
import { PENALTY_KINDS, PenaltyKind } from '@backbone/contracts';
import { BaseServiceConfig, loadConfig, departmentList, DEPARTMENTS } from '@backbone/platform';

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

  /** Role `enforcer`: departments that open and conduct enforcement cases and handle complaints. */
  @Matches(DEPARTMENTS) ENFORCEMENT_DEPARTMENTS = '320700-SAMR,320700-HEALTH,320700-MPA,320700-HOUSING';

  override roleTable() {
    return {
      ...super.roleTable(),
      enforcer: departmentList(this.ENFORCEMENT_DEPARTMENTS),
      'legal-review': departmentList(this.LEGAL_REVIEW_DEPARTMENTS),
    };
  }
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

export const loadEnforcementConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(EnforcementConfig, env);
