import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { parseRiskLevelTable, RiskWarningLevel } from '@backbone/contracts';
import { BaseServiceConfig, ConfigError, departmentList, loadConfig } from '@backbone/platform';
import { STRATA } from './draws/canonical-pool';
import type { RatiosBp } from './draws/draw';
import { DEFAULT_RATIOS_BP } from './draws/draw-ratios';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const DEPARTMENTS = /^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*$/;

export class InspectionConfig extends BaseServiceConfig {
  @Transform(toInt) @IsInt() @Min(1) @Max(65535) override PORT = 3005;
  override DATABASE_NAME = 'inspection';

  /** Departments that keep the target pool (检查对象名录库): bulk imports and key-supervision flags. */
  @Matches(DEPARTMENTS) POOL_KEEPER_DEPARTMENTS = '320700-SAMR,PLATFORM-OPS';

  /**
   * Base ratio per stratum in basis points, as JSON, e.g. {"A":200,"B":500,"C":1000,"D":3000,"K":5000}
   * (the shipped defaults: local policy, not law). Replaces the defaults as a whole; validated at boot.
   */
  @IsOptional() @IsString() INSPECTION_RATIOS_JSON?: string;

  /** Working days a drawn entity's check has from the draw (检查时限). */
  @Transform(toInt) @IsInt() @Min(1) @Max(250) CHECK_WORKING_DAYS = 20;
  /** A reminder goes this many working days before a check's deadline; past it, the check escalates. */
  @Transform(toInt) @IsInt() @Min(0) @Max(60) CHECK_REMINDER_WORKING_DAYS = 3;
  /** A result must be published within this many working days of its entry (公示时限). */
  @Transform(toInt) @IsInt() @Min(1) @Max(250) PUBLICATION_WORKING_DAYS = 20;
  /** Published results are withdrawn this many days after publication (公示期). */
  @Transform(toInt) @IsInt() @Min(1) @Max(3650) PUBLICATION_PERIOD_DAYS = 1095;
  /** How often deadlines and publication are swept (0: only on demand). */
  @Transform(toInt) @IsInt() @Min(0) INSPECTION_SWEEP_INTERVAL_MS = 60_000;

  /** The base ratios in force (set by loadInspectionConfig). */
  ratios: RatiosBp;

  /**
   * Ratio multiplier, in percent, per risk-warning level for a task whose pool meets an active warning's
   * scope (local policy): every level once, e.g. `blue:120,yellow:150,orange:200,red:300`.
   */
  @Matches(/^(blue|yellow|orange|red):\d{1,5}(,(blue|yellow|orange|red):\d{1,5}){3}$/, {
    message: 'RISK_WARNING_RATIO_PERCENT must be level:percent for blue, yellow, orange and red',
  })
  RISK_WARNING_RATIO_PERCENT = 'blue:120,yellow:150,orange:200,red:300';

  /**
   * Red list (守信激励, fewer inspections): a red-listed entity inspected within this many days is left out of
   * the pools of tasks with general items only (0: never left out).
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(3650) RED_LIST_INSPECTION_INTERVAL_DAYS = 365;

  /** The RISK_WARNING_RATIO_PERCENT table (set by loadInspectionConfig). */
  riskWarningRatios: Record<RiskWarningLevel, number> = { blue: 120, yellow: 150, orange: 200, red: 300 };

  /** Role `inspecting-department`: departments that keep items and inspectors, plan, draw and record spot checks. */
  @Matches(DEPARTMENTS) INSPECTING_DEPARTMENTS = '320700-SAMR,320700-HEALTH,320700-MPA,320700-HOUSING';

  override roleTable() {
    return {
      ...super.roleTable(),
      'inspecting-department': departmentList(this.INSPECTING_DEPARTMENTS),
      'pool-keeper': departmentList(this.POOL_KEEPER_DEPARTMENTS),
    };
  }

  isPoolKeeper(department: string): boolean {
    return this.POOL_KEEPER_DEPARTMENTS.split(',').includes(department);
  }
}

export function parseRatios(json: string | undefined): RatiosBp {
  if (json === undefined) return { ...DEFAULT_RATIOS_BP };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('INSPECTION_RATIOS_JSON: not JSON');
  }
  const ratios = {} as RatiosBp;
  for (const stratum of STRATA) {
    const value = (parsed as Record<string, unknown>)?.[stratum];
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 10_000) {
      throw new Error(`INSPECTION_RATIOS_JSON: ${stratum} must be a whole number of basis points within 0..10000`);
    }
    ratios[stratum] = value as number;
  }
  return ratios;
}

/** Loads the configuration and the ratios; a bad variable stops the boot, named. */
export const loadInspectionConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const config = loadConfig(InspectionConfig, env);
  try {
    config.ratios = parseRatios(config.INSPECTION_RATIOS_JSON);
    try {
      config.riskWarningRatios = parseRiskLevelTable(config.RISK_WARNING_RATIO_PERCENT, 100, 10_000);
    } catch (error) {
      throw new Error(`RISK_WARNING_RATIO_PERCENT: ${(error as Error).message}`);
    }
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  return config;
};
