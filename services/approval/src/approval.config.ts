import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { BaseServiceConfig, loadConfig, departmentList, DEPARTMENTS } from '@backbone/platform';

const toInt = ({ value }: { value: unknown }) => (value === undefined ? undefined : Number(value));

export class ApprovalConfig extends BaseServiceConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3001;
  override DATABASE_NAME = 'approval';

  /**
   * Item codes whose new approvals are held (stored, not published) while the entity has an open
   * enforcement case, comma-separated; `*` for every item; empty (the default) for none.
   */
  @IsString()
  @Matches(/^(\*|[^,\s]+(,[^,\s]+)*)?$/, { message: 'HOLD_ITEMS_DURING_OPEN_CASE must be item codes separated by commas, or *' })
  HOLD_ITEMS_DURING_OPEN_CASE = '';

  /** How often the licence sweep runs (suspensions ended, validity ended); 0 turns the timer off. */
  @Transform(toInt) @IsInt() @Min(0) LICENCE_SWEEP_INTERVAL_MS = 60_000;

  /** Role `approver`: departments that post approval decisions and change their own approvals. */
  @Matches(DEPARTMENTS) APPROVER_DEPARTMENTS = '320700-APPROVAL,320700-HEALTH,320700-MPA,320700-HOUSING';

  /**
   * Risk-warning levels under which a commitment-based grant (告知承诺制) in the warning's scope is refused
   * (docs/domain.md §8), comma-separated; empty: none (every grant in scope is only flagged for stricter review).
   */
  @Matches(/^((blue|yellow|orange|red)(,(blue|yellow|orange|red))*)?$/, {
    message: 'RISK_WARNING_NO_COMMITMENT_LEVELS must be levels (blue, yellow, orange, red) separated by commas',
  })
  RISK_WARNING_NO_COMMITMENT_LEVELS = 'orange,red';

  /**
   * Group-commit ingest of POST /approvals (ADR 0026): how long the first waiting application waits for
   * company (ms), how many leave together at most, and the connections of its own pool (groups written at once).
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(100) INGEST_LINGER_MS = 2;
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) INGEST_MAX_BATCH = 64;
  @Transform(toInt) @IsInt() @Min(1) @Max(20) INGEST_CONNECTIONS = 2;

  override roleTable() {
    return { ...super.roleTable(), approver: departmentList(this.APPROVER_DEPARTMENTS) };
  }
}

export const loadApprovalConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(ApprovalConfig, env);
