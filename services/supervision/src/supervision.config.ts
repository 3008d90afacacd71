import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { parseRiskLevelTable, RiskWarningLevel } from '@backbone/contracts';
import { BaseServiceConfig, departmentList, loadConfig } from '@backbone/platform';

const toInt = ({ value }: { value: unknown }) => (value === undefined ? undefined : Number(value));
const RISK_LEVEL_TABLE = /^(blue|yellow|orange|red):\d{1,5}(,(blue|yellow|orange|red):\d{1,5}){3}$/;
const DEPARTMENT_LIST = /^([A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*)?$/;

export class SupervisionConfig extends BaseServiceConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3002;
  override DATABASE_NAME = 'supervision';

  /**
   * Departments whose tasks are claimed the moment they are assigned (comma-separated; empty: none).
   * For load tests and demonstrations of the loop; a real department claims over REST.
   */
  @Matches(DEPARTMENT_LIST) AUTO_CLAIM_DEPARTMENTS = '';

  /** Departments that administer the supervision item catalog, besides the operators (comma-separated). */
  @Matches(DEPARTMENT_LIST) CATALOG_ADMIN_DEPARTMENTS = '';

  /** The market regulator's departments that post entity registrations (双告知), comma-separated. */
  @Matches(DEPARTMENT_LIST) REGISTRATION_DEPARTMENTS = '320700-SAMR';

  /** The market regulator that receives clues of operation without a business licence (无照经营). */
  @Matches(/^[A-Za-z0-9_-]{1,64}$/) MARKET_REGULATOR_DEPARTMENT = '320700-SAMR';

  /** Working days a registered entity has to obtain the licences its scope needs before a clue is pushed. */
  @Transform(toInt) @IsInt() @Min(1) @Max(250) LICENCE_DUE_WORKING_DAYS = 20;

  /** How often the deadline sweep and the reconciliation job run (0: never; the admin endpoint still works). */
  @Transform(toInt) @IsInt() @Min(0) DEADLINE_SWEEP_INTERVAL_MS = 60_000;

  /**
   * The approval service, whose ledger of granted approvals the reconciliation reads (ADR 0075), e.g.
   * `http://127.0.0.1:3001`; empty: reconciliation sees this end only and says so.
   */
  @Matches(/^(https?:\/\/[^\s,]+)?$/, { message: 'APPROVAL_URL must be an http(s) URL or empty' }) APPROVAL_URL = '';

  /** The API key this service presents at the approval service (an operator department's key there). */
  @Matches(/^([A-Za-z0-9_-]{16,})?$/, { message: 'APPROVAL_API_KEY must be at least 16 letters, digits, - or _' })
  APPROVAL_API_KEY = '';

  /**
   * Role `regulator`: departments that claim and return tasks, record inspections and verifications,
   * answer notifications and report unlicensed operation.
   */
  @Matches(DEPARTMENT_LIST) REGULATOR_DEPARTMENTS = '320700-SAMR,320700-HEALTH,320700-MPA,320700-HOUSING';

  /** Role `risk-warning`: departments that raise risk warnings (风险预警), besides the operators. */
  @Matches(DEPARTMENT_LIST) RISK_WARNING_DEPARTMENTS = '320700-SAMR,320700-HEALTH,320700-MPA,320700-HOUSING';

  /**
   * Working days to claim a new task in the scope of an active risk warning, at most, per level (local
   * policy; the catalog's days apply when fewer): every level once, e.g. `blue:2,yellow:1,orange:1,red:1`.
   */
  @Matches(RISK_LEVEL_TABLE, { message: 'RISK_WARNING_CLAIM_DAYS must be level:days for blue, yellow, orange and red' })
  RISK_WARNING_CLAIM_DAYS = 'blue:2,yellow:1,orange:1,red:1';

  /** The RISK_WARNING_CLAIM_DAYS table (throws naming a missing or repeated level). */
  riskWarningClaimDays(): Record<RiskWarningLevel, number> {
    return parseRiskLevelTable(this.RISK_WARNING_CLAIM_DAYS, 1, 250);
  }

  override roleTable() {
    return {
      ...super.roleTable(),
      regulator: departmentList(this.REGULATOR_DEPARTMENTS),
      'catalog-admin': [...departmentList(this.CATALOG_ADMIN_DEPARTMENTS), ...departmentList(this.OPERATOR_DEPARTMENTS)],
      registrar: departmentList(this.REGISTRATION_DEPARTMENTS),
      'risk-warning': departmentList(this.RISK_WARNING_DEPARTMENTS),
    };
  }
}

export const loadSupervisionConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(SupervisionConfig, env);
