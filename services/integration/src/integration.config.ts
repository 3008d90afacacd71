import { Transform } from 'class-transformer';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { BaseServiceConfig, ConfigError, loadConfig } from '@backbone/platform';
import { DEFAULT_INTAKE_RIGHTS, IntakeRights, parseIntakeRights } from './intake/intake-rights/intake-rights';
import { AllowedHosts, parseAllowedHosts } from './webhooks/subscribe/allowed-hosts';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

export class IntegrationConfig extends BaseServiceConfig {
  @Transform(toInt) @IsInt() @Min(1) @Max(65535) override PORT = 3007;
  override DATABASE_NAME = 'integration';

  /** Who may post which type at the CloudEvents intake: `type=DEPT|DEPT;type=DEPT` (see the README). */
  @IsString() INTAKE_RIGHTS = DEFAULT_INTAKE_RIGHTS;
  /** Events in one batch-mode request, at most. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) INTAKE_MAX_BATCH = 100;

  /**
   * Hosts agencies may register webhook URLs under, comma-separated: `hotline.example.gov.cn`,
   * `*.example.gov.cn` (every host under it), an IPv4 or `[IPv6]` address. Empty (the default): none.
   */
  @IsString() WEBHOOK_ALLOWED_HOSTS = '';
  /** A webhook delivery is dead-lettered after this many failed attempts. */
  @Transform(toInt) @IsInt() @Min(1) @Max(100) WEBHOOK_MAX_ATTEMPTS = 10;
  /** Backoff after the first failure; doubles with each further failure up to WEBHOOK_MAX_BACKOFF_MS. */
  @Transform(toInt) @IsInt() @Min(1) WEBHOOK_BACKOFF_MS = 1000;
  @Transform(toInt) @IsInt() @Min(1) WEBHOOK_MAX_BACKOFF_MS = 600_000;
  /** A receiver must answer within this time, or the attempt counts as failed. */
  @Transform(toInt) @IsInt() @Min(100) @Max(120_000) WEBHOOK_TIMEOUT_MS = 10_000;
  /** How often the dispatcher looks for due deliveries when it found none. */
  @Transform(toInt) @IsInt() @Min(10) @Max(60_000) WEBHOOK_POLL_MS = 250;
  /** Deliveries in flight at once (each to a different subscription and entity). */
  @Transform(toInt) @IsInt() @Min(1) @Max(256) WEBHOOK_CONCURRENCY = 16;
  /**
   * How long a delivered webhook delivery is kept after its delivery: for this long integrators list it
   * (`GET /webhooks/subscriptions/:id/deliveries`) and it counts in its subscription's `delivered`. Then
   * the dispatcher's leader purges it, a batch at a time (ADR 0083). 720: 30 days.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(87_600) WEBHOOK_DELIVERED_RETENTION_HOURS = 720;
  /**
   * How long a dead-lettered delivery is kept after it died: listed and re-drivable for this long, then
   * purged like a delivered one. Longer than delivered ones, since each waits for someone to act; a
   * receiver gone for good still turns every event into a dead row, so it cannot be kept for ever
   * (ADR 0083). 2160: 90 days.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(87_600) WEBHOOK_DEAD_RETENTION_HOURS = 2160;

  /** Parsed INTAKE_RIGHTS (set by loadIntegrationConfig). */
  intakeRights: IntakeRights;
  /** Parsed WEBHOOK_ALLOWED_HOSTS (set by loadIntegrationConfig). */
  webhookAllowedHosts: AllowedHosts;
}

/** Loads the configuration, the intake rights and the webhook hosts; a bad variable stops the boot, named. */
export const loadIntegrationConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const config = loadConfig(IntegrationConfig, env);
  const problems: string[] = [];
  try {
    config.intakeRights = parseIntakeRights(config.INTAKE_RIGHTS);
  } catch (error) {
    problems.push((error as Error).message);
  }
  try {
    config.webhookAllowedHosts = parseAllowedHosts(config.WEBHOOK_ALLOWED_HOSTS);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
};
