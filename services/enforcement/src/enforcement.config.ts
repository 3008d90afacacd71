import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig, loadConfig } from '@backbone/platform';

export class EnforcementConfig extends BaseServiceConfig {
  @Transform(({ value }) => (value === undefined ? undefined : Number(value))) @IsInt() @Min(1) @Max(65535)
  override PORT = 3003;
  override DATABASE_NAME = 'enforcement';
}

export const loadEnforcementConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(EnforcementConfig, env);
