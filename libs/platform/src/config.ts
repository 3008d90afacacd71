import { readFileSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  registerDecorator,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { describeValidationErrors } from '@backbone/contracts';
import { API_KEY_ENTRY, parseKeyEntry } from './api-keys';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
/** A comma-separated list of department codes (may be empty). */
export const DEPARTMENTS = /^([A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*)?$/;
export const departmentList = (value: string): string[] => value.split(',').filter(Boolean);

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === true || value === 'true' || value === '1';
/** true/1 and false/0 (any case); anything else is left as it is, for @IsBoolean to refuse (a typo must not mean "off"). */
const toStrictBool = ({ value }: { value: unknown }) => {
  const text = typeof value === 'string' ? value.toLowerCase() : value;
  return text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : value;
};

/** The SASL mechanisms kafkajs speaks that a cluster's listener may ask for (ADR 0102). */
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];
const MECHANISMS_TEXT = 'plain, scram-sha-256 or scram-sha-512';

/**
 * A rule of the configuration across variables: the decorated variable is refused with the message
 * `problem` returns (starting with the variable's name), or accepted when it returns nothing.
 */
function ConfigRule(name: string, problem: (config: BaseServiceConfig, value: unknown) => string | undefined): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value, args) => problem(args?.object as BaseServiceConfig, value) === undefined,
        defaultMessage: (args) => (args ? (problem(args.object as BaseServiceConfig, args.value) ?? name) : name),
      },
    });
}

/**
 * Why the file a variable names cannot serve, if it cannot: unreadable, empty, or (with `pem`) without
 * a PEM block of that label. Names the path, never the content.
 */
export function unusableFile(variable: string, path: string, pem?: 'CERTIFICATE' | 'PRIVATE KEY'): string | undefined {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    return `${variable} cannot be read: ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  if (content.trim() === '') return `${variable} names an empty file: ${path}`;
  if (pem && !new RegExp(`-----BEGIN [A-Z ]*${pem}-----`).test(content)) {
    return `${variable} names a file without a PEM ${pem} block: ${path}`;
  }
  return undefined;
}

/** The rule of a KAFKA_SSL_* file: only with KAFKA_SSL=true, and readable, with its PEM block. */
function sslFileProblem(variable: string, pem: 'CERTIFICATE' | 'PRIVATE KEY') {
  return (config: BaseServiceConfig, value: unknown): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return `${variable} must be a file path`;
    if (config.KAFKA_SSL !== true) return `${variable} is used only with KAFKA_SSL=true`;
    return unusableFile(variable, value, pem);
  };
}

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
   * Connect to the brokers over TLS. The brokers' certificates are verified, against Node's trust store
   * or KAFKA_SSL_CA_FILE, and must name the host of KAFKA_BROKERS (ADR 0102).
   */
  @Transform(toStrictBool) @IsBoolean({ message: 'KAFKA_SSL must be true or false' }) KAFKA_SSL = false;
  /**
   * A PEM file of the CA certificate(s) that signed the brokers' certificates (Strimzi: the cluster CA's
   * `ca.crt`), trusted instead of Node's trust store. Unset: Node's trust store (a managed cluster with a
   * public CA). Needs KAFKA_SSL=true.
   */
  @ConfigRule('kafkaSslCaFile', sslFileProblem('KAFKA_SSL_CA_FILE', 'CERTIFICATE')) KAFKA_SSL_CA_FILE?: string;
  /**
   * Mutual TLS: this service's certificate (PEM, with its chain) and its unencrypted private key (PEM),
   * for a listener that authenticates clients by certificate (Strimzi `tls` authentication). Both or
   * neither; they need KAFKA_SSL=true.
   */
  @ConfigRule('kafkaSslCertFile', (config, value) =>
    value !== undefined && config.KAFKA_SSL_KEY_FILE === undefined
      ? "KAFKA_SSL_CERT_FILE needs KAFKA_SSL_KEY_FILE (the certificate's private key)"
      : sslFileProblem('KAFKA_SSL_CERT_FILE', 'CERTIFICATE')(config, value),
  )
  KAFKA_SSL_CERT_FILE?: string;
  /** The private key of KAFKA_SSL_CERT_FILE: PEM, unencrypted (`BEGIN PRIVATE KEY`, `BEGIN RSA PRIVATE KEY`…). */
  @ConfigRule('kafkaSslKeyFile', (config, value) =>
    value !== undefined && config.KAFKA_SSL_CERT_FILE === undefined
      ? 'KAFKA_SSL_KEY_FILE needs KAFKA_SSL_CERT_FILE (the certificate of the key)'
      : sslFileProblem('KAFKA_SSL_KEY_FILE', 'PRIVATE KEY')(config, value),
  )
  KAFKA_SSL_KEY_FILE?: string;
  /**
   * SASL authentication towards the brokers: plain, scram-sha-256 or scram-sha-512 (upper case as Kafka
   * writes them is accepted), with KAFKA_SASL_USERNAME and one of KAFKA_SASL_PASSWORD or
   * KAFKA_SASL_PASSWORD_FILE. PLAIN sends the password as it is: use it with KAFKA_SSL=true (the service
   * warns at start when it is not); SCRAM never sends it. Unset: no authentication.
   */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsOptional()
  @IsIn(KAFKA_SASL_MECHANISMS, { message: `KAFKA_SASL_MECHANISM must be ${MECHANISMS_TEXT}` })
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;
  /** The SASL user (Strimzi: the `KafkaUser`'s name); required with KAFKA_SASL_MECHANISM, refused without. */
  @ConfigRule('kafkaSaslUsername', (config, value) => {
    if (config.KAFKA_SASL_MECHANISM === undefined) {
      return value === undefined ? undefined : `KAFKA_SASL_USERNAME is used only with KAFKA_SASL_MECHANISM (${MECHANISMS_TEXT})`;
    }
    return typeof value === 'string' ? undefined : 'KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM';
  })
  KAFKA_SASL_USERNAME?: string;
  /** The SASL password. In production prefer KAFKA_SASL_PASSWORD_FILE (a mounted Secret); never logged. */
  @ConfigRule('kafkaSaslPassword', (config, value) => {
    if (config.KAFKA_SASL_MECHANISM === undefined) {
      return value === undefined ? undefined : `KAFKA_SASL_PASSWORD is used only with KAFKA_SASL_MECHANISM (${MECHANISMS_TEXT})`;
    }
    if (value === undefined && config.KAFKA_SASL_PASSWORD_FILE === undefined) {
      return 'KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM (or KAFKA_SASL_PASSWORD_FILE)';
    }
    if (value !== undefined && config.KAFKA_SASL_PASSWORD_FILE !== undefined) {
      return 'KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE are both set: give one';
    }
    return undefined;
  })
  KAFKA_SASL_PASSWORD?: string;
  /**
   * A file holding the SASL password (a Secret mounted as a volume), read once at start; one trailing
   * line break is not part of the password.
   */
  @ConfigRule('kafkaSaslPasswordFile', (config, value) => {
    if (value === undefined) return undefined;
    if (config.KAFKA_SASL_MECHANISM === undefined) {
      return `KAFKA_SASL_PASSWORD_FILE is used only with KAFKA_SASL_MECHANISM (${MECHANISMS_TEXT})`;
    }
    return typeof value === 'string' ? unusableFile('KAFKA_SASL_PASSWORD_FILE', value) : 'KAFKA_SASL_PASSWORD_FILE must be a file path';
  })
  KAFKA_SASL_PASSWORD_FILE?: string;

  /**
   * Agencies' API clients: `key=DEPARTMENT,key=DEPARTMENT`. Each key (16+ characters) authenticates one
   * client and names the department it acts for. In production, give `sha256:<hex of the key's
   * SHA-256>=DEPARTMENT@<expiry>` instead of the key itself, or use API_KEYS_FILE (see api-keys.ts).
   * Not needed when API_KEYS_FILE is given.
   */
  @ValidateIf((config: BaseServiceConfig) => !config.API_KEYS_FILE || config.API_KEYS !== undefined)
  @Matches(new RegExp(`^${API_KEY_ENTRY}(,${API_KEY_ENTRY})*$`), {
    message:
      'API_KEYS must be key=DEPARTMENT[,key=DEPARTMENT…] with keys of at least 16 letters, digits, - or _ (or sha256:<hex>), each optionally @expiry',
  })
  API_KEYS: string;

  /** A file of API clients, one `sha256:<hex>=DEPARTMENT[@expiry]` a line; re-read when it changes (rotation without restart). */
  @IsOptional() @IsString() API_KEYS_FILE?: string;

  /** Requests one API key (or one anonymous client address) may make per minute; more → 429 with Retry-After. */
  @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_PER_MINUTE = 1200;
  /** Wrong API keys from one address within a minute before answers to it slow down, and before they are refused (429). */
  @Transform(toInt) @IsInt() @Min(1) AUTH_FAILURES_BEFORE_DELAY = 5;
  @Transform(toInt) @IsInt() @Min(1) AUTH_FAILURES_BEFORE_BLOCK = 30;
  /** How long a POST's Idempotency-Key and its first response are kept. */
  @Transform(toInt) @IsInt() @Min(1) @Max(720) IDEMPOTENCY_WINDOW_HOURS = 24;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';

  /**
   * Outbox relay: rows per batch; how long it sleeps when it found nothing (a safety net: commits wake
   * it, ADR 0021); how long it waits, once woken, for the commits that come together.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(10000) OUTBOX_BATCH_SIZE = 500;
  @Transform(toInt) @IsInt() @Min(1) @Max(60000) OUTBOX_IDLE_MS = 1000;
  @Transform(toInt) @IsInt() @Min(0) @Max(1000) OUTBOX_LINGER_MS = 2;
  /**
   * How far V8 lets the old generation grow past what the last full collection kept, in percent (0: V8's
   * own factor, up to 4×). Requests waiting for their group's write survive a scavenge and die in the old
   * generation; with V8's factor approval's heap committed 120–145 MiB while 50 MiB were live, most of its
   * peak RSS (ADR 0024). 100 keeps the committed heap near twice the live set: against 50 it costs ~20 MiB
   * of peak RSS and saves ~0.2–0.3 ms of CPU per loop in fewer full collections (ADR 0078).
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(400) HEAP_GROWING_PERCENT = 100;
  /**
   * The nice value (0–19) a service takes once it listens; its boot runs at the priority it was started
   * with. A process restarted after kill -9 then outranks its settled siblings for the CPU (the same
   * session's processes, or the whole host without autogroup scheduling) and serves sooner; steady
   * state is unchanged, since every settled service has the same nice value. An unprivileged process can
   * lower its priority, not raise it: this is the way to give a boot priority (ADR 0032). 0: unchanged.
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(19) NICE_ONCE_LISTENING = 10;
  /**
   * 0 (the default): the relay deletes an outbox row once Kafka acknowledged it (ADR 0013). More: it marks
   * the row `sent_at` and keeps it this many hours (the published record in the database, for operators
   * and for tests that read what a service published). Processed inbox rows are purged after
   * INBOX_RETENTION_HOURS.
   */
  @Transform(toInt) @IsInt() @Min(0) OUTBOX_RETENTION_HOURS = 0;
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
  /**
   * Messages of one partition applied in one database transaction, at most (a chunk, ADR 0023); a batch
   * handler gets a chunk's consecutive events of its types in one call (ADR 0027).
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(5000) CONSUMER_CHUNK_SIZE = 500;
  /** Partitions one instance applies at the same time (each in order); bounded by the pool size. */
  @Transform(toInt) @IsInt() @Min(1) @Max(64) CONSUMER_CONCURRENCY = 6;
  /**
   * Inbox transactions one instance runs at the same time for small chunks: chunks of other partitions
   * that arrive while they run wait and are applied together, in one transaction, in the next. A chunk
   * of half CONSUMER_CHUNK_SIZE or more (a backlog) has a transaction of its own: grouped, large chunks
   * cost a drain about a quarter of its rate. 0: every chunk alone (ADR 0031).
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(64) CONSUMER_TRANSACTIONS = 2;
  /**
   * What one fetch asks the broker for (ADR 0013): at most this many bytes per partition; the broker
   * answers once it has CONSUMER_FETCH_MIN_BYTES or after CONSUMER_FETCH_MAX_WAIT_MS. Applied offsets are
   * committed once per poll (when no partition's batch is in hand any more), or after
   * CONSUMER_COMMIT_INTERVAL_MS while a long one still is. 16 KiB is about twenty of the loop's events: at
   * hundreds of loops a second a fetch waits a few tens of milliseconds for them, and the consumers make a
   * fraction of the fetches, transactions and relay passes they made for one event or two (about a fifth
   * of two cores at 500 loops a second). A lone event waits out CONSUMER_FETCH_MAX_WAIT_MS at each hop; 1
   * applies every event at once, for that CPU. An idle consumer fetches every CONSUMER_FETCH_MAX_WAIT_MS
   * either way (ADR 0131).
   */
  @Transform(toInt) @IsInt() @Min(1024) @Max(64 * 1024 * 1024) CONSUMER_FETCH_MAX_BYTES_PER_PARTITION = 1024 * 1024;
  @Transform(toInt) @IsInt() @Min(1) @Max(16 * 1024 * 1024) CONSUMER_FETCH_MIN_BYTES = 16 * 1024;
  @Transform(toInt) @IsInt() @Min(1) @Max(10000) CONSUMER_FETCH_MAX_WAIT_MS = 100;
  @Transform(toInt) @IsInt() @Min(0) @Max(60000) CONSUMER_COMMIT_INTERVAL_MS = 1000;
  /**
   * Prefixed to every topic and consumer group this service uses, so that several systems (or test
   * runs) can share one Kafka cluster without seeing each other's messages. Empty in production.
   */
  @Matches(/^([a-z0-9][a-z0-9._-]{0,40})?$/) KAFKA_NAMESPACE = '';

  /** Departments whose clients may operate the service (dead letters, re-drive), comma-separated. */
  @Matches(/^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*$/) OPERATOR_DEPARTMENTS = 'PLATFORM-OPS';

  @IsOptional() @IsString() SERVICE_INSTANCE?: string;

  /**
   * Departments that exist besides those holding a key or a role (comma-separated): transfers and hand
   * assignments may name only departments the system knows (else 422 UNKNOWN_DEPARTMENT).
   */
  @Matches(DEPARTMENTS) KNOWN_DEPARTMENTS = '';

  /** Role → departments holding it. A service adds its own roles; README "Roles" lists them per route. */
  roleTable(): Record<string, readonly string[]> {
    return { operator: departmentList(this.OPERATOR_DEPARTMENTS), agency: ['*'] };
  }

  /**
   * The SQL gauges on /metrics (counts of the service's tables): a scrape within METRICS_SQL_MAX_AGE_MS of
   * the last reading is answered from it, however many scrapers ask (0: every scrape reads); a gauge whose
   * statement takes longer than METRICS_SQL_TIMEOUT_MS is cancelled and has no series until the next
   * reading (ADR 0088).
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(3_600_000) METRICS_SQL_MAX_AGE_MS = 30_000;
  @Transform(toInt) @IsInt() @Min(100) @Max(300_000) METRICS_SQL_TIMEOUT_MS = 5_000;

  /** Largest request body accepted (bytes); larger → 413. */
  @Transform(toInt) @IsInt() @Min(1024) @Max(67_108_864) HTTP_BODY_LIMIT_BYTES = 262_144;
  /** Deepest JSON nesting accepted; deeper → 400. */
  @Transform(toInt) @IsInt() @Min(2) @Max(256) HTTP_MAX_JSON_DEPTH = 16;
  /**
   * A request's headers, or its JSON body, not complete after this long is answered 408; so is a body its
   * route streams (a register's import) when nothing of it arrives for this long (ADR 0123).
   */
  @Transform(toInt) @IsInt() @Min(1000) HTTP_REQUEST_TIMEOUT_MS = 30_000;
  /** The longest a streamed body may take in all, however steadily it arrives (ADR 0123): 1 hour. */
  @Transform(toInt) @IsInt() @Min(1000) @Max(86_400_000) HTTP_STREAMED_BODY_MAX_MS = 3_600_000;
  /**
   * A route with a direct path (`DirectRoutes`: POST /approvals) answers the requests its headers show the
   * edge and Nest would pass without Express and Nest, with the same answer (ADR 0128); false sends every
   * request through them.
   */
  @Transform(toStrictBool) @IsBoolean({ message: 'HTTP_DIRECT_ROUTES must be true or false' }) HTTP_DIRECT_ROUTES = true;
  /** Origins allowed to call from a browser (CORS), comma-separated; empty (the default): CORS off. */
  @Matches(/^(https?:\/\/[^,\s]+(,https?:\/\/[^,\s]+)*)?$/, { message: 'CORS_ORIGINS must be http(s) origins separated by commas' })
  CORS_ORIGINS = '';
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

/** The departments of API_KEYS entries (key hash → department). */
export function parseApiKeys(value: string | undefined): Map<string, string> {
  return new Map(
    (value ?? '')
      .split(',')
      .filter(Boolean)
      .map((entry) => {
        const [hash, client] = parseKeyEntry(entry);
        return [hash, client.department] as const;
      }),
  );
}

/** Every department this service knows: keys, roles and KNOWN_DEPARTMENTS. */
export function knownDepartments(config: BaseServiceConfig): Set<string> {
  return new Set(
    [
      ...parseApiKeys(config.API_KEYS).values(),
      ...Object.values(config.roleTable()).flat(),
      ...departmentList(config.KNOWN_DEPARTMENTS),
    ].filter(
      // A market entity's own credential (ENTITY-<USCC>) is no department: nothing is transferred or assigned to it.
      (department) => !department.startsWith('ENTITY-'),
    ),
  );
}
