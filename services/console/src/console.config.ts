import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { BaseServiceConfig, loadConfig } from '@backbone/platform';

export class ConsoleConfig extends BaseServiceConfig {
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3006;
  override DATABASE_NAME = 'console';

  /**
   * The services the health page asks over HTTP (/health, /metrics, /admin/dead-letters) and the
   * work queue acts on (claim, return, through supervision): `name=url,name=url`.
   */
  @Matches(/^[a-z-]+=https?:\/\/[^,\s]+(,[a-z-]+=https?:\/\/[^,\s]+)*$/, { message: 'SERVICE_URLS must be name=http://host:port[,name=…]' })
  SERVICE_URLS =
    'approval=http://127.0.0.1:3001,supervision=http://127.0.0.1:3002,enforcement=http://127.0.0.1:3003,credit=http://127.0.0.1:3004,inspection=http://127.0.0.1:3005';

  /** How often the console's pages refresh their figures (milliseconds). */
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1000)
  REFRESH_MS = 10_000;

  serviceUrls(): Map<string, string> {
    return new Map(this.SERVICE_URLS.split(',').map((pair) => pair.split('=') as [string, string]));
  }

  isOperator(department: string): boolean {
    return this.OPERATOR_DEPARTMENTS.split(',').includes(department);
  }
}

export const loadConsoleConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(ConsoleConfig, env);
