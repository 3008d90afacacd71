import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { BaseServiceConfig, loadConfig } from '@backbone/platform';

export class SupervisionConfig extends BaseServiceConfig {
  @Transform(({ value }) => (value === undefined ? undefined : Number(value))) @IsInt() @Min(1) @Max(65535)
  override PORT = 3002;
  override DATABASE_NAME = 'supervision';

  /**
   * Departments whose tasks are claimed the moment they are assigned (comma-separated; empty: none).
   * For load tests and demonstrations of the loop; a real department claims over REST.
   */
  @Matches(/^([A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*)?$/) AUTO_CLAIM_DEPARTMENTS = '';
}

export const loadSupervisionConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(SupervisionConfig, env);
