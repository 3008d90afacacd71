import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { describeValidationErrors } from '@backbone/contracts';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === true || value === 'true' || value === '1';

/**
 * Configuration every service shares, read from environment variables. A service extends it with its
 * own variables and its default port; `loadConfig` stops the boot naming each missing or bad variable.
 */
export class BaseServiceConfig {
  @Transform(toInt) @IsInt() @Min(1) @Max(65535) PORT: number;

  @IsString() @MinLength(1) DATABASE_HOST = '127.0.0.1';
  @Transform(toInt) @IsInt() @Min(1) @Max(65535) DATABASE_PORT = 5432;
  @IsString() @MinLength(1) DATABASE_USER: string;
  @IsString() DATABASE_PASSWORD: string;
  @IsString() @MinLength(1) DATABASE_NAME: string;
  @Transform(toInt) @IsInt() @Min(2) @Max(200) DATABASE_POOL_SIZE = 20;
  /** Run pending migrations when the service starts (turn off where a separate job migrates). */
  @Transform(toBool) MIGRATIONS_RUN = true;

  /** Comma-separated host:port list. */
  @Matches(/^[^,\s:]+:\d+(,[^,\s:]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port…]' })
  KAFKA_BROKERS: string;

  /**
   * Agencies' API clients: `key=DEPARTMENT,key=DEPARTMENT`. Each key (16+ characters) authenticates one
   * client and names the department it acts for.
   */
  @Matches(/^[A-Za-z0-9_-]{16,}=[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{16,}=[A-Za-z0-9_-]{1,64})*$/, {
    message: 'API_KEYS must be key=DEPARTMENT[,key=DEPARTMENT…] with keys of at least 16 letters, digits, - or _',
  })
  API_KEYS: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';

  /** Outbox relay: rows per batch, and how long it sleeps when it found nothing. */
  @Transform(toInt) @IsInt() @Min(1) @Max(10000) OUTBOX_BATCH_SIZE = 500;
  @Transform(toInt) @IsInt() @Min(1) @Max(10000) OUTBOX_IDLE_MS = 20;
  /** Sent outbox rows and processed inbox rows are purged after this many hours. */
  @Transform(toInt) @IsInt() @Min(1) OUTBOX_RETENTION_HOURS = 168;
  @Transform(toInt) @IsInt() @Min(1) INBOX_RETENTION_HOURS = 720;
  /** Attempts for a transiently failing message before it is dead-lettered, and the first backoff. */
  @Transform(toInt) @IsInt() @Min(1) @Max(20) CONSUMER_MAX_ATTEMPTS = 5;
  @Transform(toInt) @IsInt() @Min(1) CONSUMER_BACKOFF_MS = 200;
  /** /health reports the consumer as stuck when one partition's message has been in hand this long. */
  @Transform(toInt) @IsInt() @Min(100) CONSUMER_STUCK_MS = 60000;
  /**
   * How long the group waits for a consumer that stopped answering (kill -9) before handing its
   * partitions to the others or to its restarted self (ADR 0020). The broker accepts 6000–300000.
   */
  @Transform(toInt) @IsInt() @Min(6000) @Max(300000) CONSUMER_SESSION_TIMEOUT_MS = 30000;
  @Transform(toInt) @IsInt() @Min(1) @Max(64) TOPIC_PARTITIONS = 6;
  /** Partitions one instance applies at the same time (each in order); bounded by the pool size. */
  @Transform(toInt) @IsInt() @Min(1) @Max(64) CONSUMER_CONCURRENCY = 6;
  /**
   * Prefixed to every topic and consumer group this service uses, so that several systems (or test
   * runs) can share one Kafka cluster without seeing each other's messages. Empty in production.
   */
  @Matches(/^([a-z0-9][a-z0-9._-]{0,40})?$/) KAFKA_NAMESPACE = '';

  /** Departments whose clients may operate the service (dead letters, re-drive), comma-separated. */
  @Matches(/^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*$/) OPERATOR_DEPARTMENTS = 'PLATFORM-OPS';

  @IsOptional() @IsString() SERVICE_INSTANCE?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadConfig<T extends BaseServiceConfig>(configClass: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(configClass, defined, { exposeDefaultValues: true });
  const problems = describeValidationErrors(validateSync(config, { skipMissingProperties: false }));
  if (problems.length > 0) {
    throw new ConfigError(problems.map((problem) => problem.replace(/^(\w+): \1 /, '$1: ')));
  }
  return config;
}

/** The API clients of a service, key → department. */
export function parseApiKeys(value: string): Map<string, string> {
  return new Map(
    value.split(',').map((pair) => {
      const [key, department] = pair.split('=');
      return [key, department] as const;
    }),
  );
}
