import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { BaseServiceConfig, ConfigError, loadConfig } from '@backbone/platform';
import { CreditRules, parseCreditRules } from './credit-rules/credit-rules.config';

export class CreditConfig extends BaseServiceConfig {
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3004;
  override DATABASE_NAME = 'credit';

  /** Departments acting as credit authority (信用主管部门): they decide repairs and answer objections. Comma-separated. */
  @Matches(/^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*$/) CREDIT_AUTHORITY_DEPARTMENTS = 'CREDIT-AUTHORITY';

  /** How often stored standings whose time has come are recomputed (facts ageing out); 0: never. */
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  CREDIT_REFRESH_INTERVAL_MS = 60_000;

  /** Replaces the default credit rules (tiers, lists, periods) with a JSON document; validated at boot. */
  @IsOptional() @IsString() CREDIT_RULES_JSON?: string;

  /** The rules in force, parsed from CREDIT_RULES_JSON or the defaults (set by loadCreditConfig). */
  rules: CreditRules;

  isCreditAuthority(department: string): boolean {
    return this.CREDIT_AUTHORITY_DEPARTMENTS.split(',').includes(department);
  }
}

/** Loads the configuration and the credit rules; a bad variable or a bad rule stops the boot, named. */
export const loadCreditConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const config = loadConfig(CreditConfig, env);
  try {
    config.rules = parseCreditRules(config.CREDIT_RULES_JSON);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  return config;
};
