import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig, loadConfig } from '@backbone/platform';

export class CreditConfig extends BaseServiceConfig {
  @Transform(({ value }) => (value === undefined ? undefined : Number(value))) @IsInt() @Min(1) @Max(65535)
  override PORT = 3004;
  override DATABASE_NAME = 'credit';
}

export const loadCreditConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(CreditConfig, env);
