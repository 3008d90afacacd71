import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig, loadConfig } from '@backbone/platform';

export class ApprovalConfig extends BaseServiceConfig {
  @Transform(({ value }) => (value === undefined ? undefined : Number(value))) @IsInt() @Min(1) @Max(65535)
  override PORT = 3001;
  override DATABASE_NAME = 'approval';
}

export const loadApprovalConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(ApprovalConfig, env);
