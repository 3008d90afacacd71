import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A listener of the same cluster that asks for TLS and SASL (ADR 0102): where it is, the CA its
 * certificate chains to (a PEM file) and a SCRAM user of it.
 */
export interface SecuredKafka {
  brokers: string;
  caFile: string;
  mechanism: 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

/** Where tests find Kafka and PostgreSQL. */
export interface TestInfra {
  kafkaBrokers: string;
  /** The secured listener, when the infrastructure has one (always, but for TEST_* given without it). */
  kafkaSecured?: SecuredKafka;
  database: { host: string; port: number; user: string; password: string };
  /** How it was found: given URLs, testcontainers, or the project's local stack. */
  source: 'environment' | 'testcontainers' | 'local-stack';
  stop?: () => Promise<void>;
}

/** The repository root, found by walking up to the stack script (works from the sources and from dist/). */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'deploy/local/stack.sh')) && existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`cannot find the repository root above ${start}`);
}

/**
 * The one seam through which every integration and end-to-end test gets its infrastructure:
 * 1. given in the environment (TEST_KAFKA_BROKERS and TEST_DATABASE_URL; the secured listener with
 *    TEST_KAFKA_SASL_BROKERS, TEST_KAFKA_SASL_CA_FILE, TEST_KAFKA_SASL_USERNAME, TEST_KAFKA_SASL_PASSWORD
 *    and optionally TEST_KAFKA_SASL_MECHANISM, scram-sha-512 by default), else
 * 2. containers, when a Docker engine answers, else
 * 3. the project's local stack (deploy/local/stack.sh: Kafka from Maven Central, PostgreSQL from Debian).
 */
export async function resolveInfra(env: NodeJS.ProcessEnv = process.env): Promise<TestInfra> {
  if (env.TEST_KAFKA_BROKERS && env.TEST_DATABASE_URL) {
    const url = new URL(env.TEST_DATABASE_URL);
    return {
      source: 'environment',
      kafkaBrokers: env.TEST_KAFKA_BROKERS,
      kafkaSecured: securedFromEnv(env),
      database: {
        host: url.hostname,
        port: Number(url.port || 5432),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      },
    };
  }
  if (await dockerEngineAnswers()) return startContainers();
  return startLocalStack();
}

const SECURED_VARIABLES = ['TEST_KAFKA_SASL_BROKERS', 'TEST_KAFKA_SASL_CA_FILE', 'TEST_KAFKA_SASL_USERNAME', 'TEST_KAFKA_SASL_PASSWORD'];

function securedFromEnv(env: NodeJS.ProcessEnv): SecuredKafka | undefined {
  if (!env.TEST_KAFKA_SASL_BROKERS) return undefined;
  const missing = SECURED_VARIABLES.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`TEST_KAFKA_SASL_BROKERS is set without ${missing.join(', ')}`);
  const mechanism = env.TEST_KAFKA_SASL_MECHANISM ?? 'scram-sha-512';
  if (mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512') {
    throw new Error(`TEST_KAFKA_SASL_MECHANISM must be scram-sha-256 or scram-sha-512, not ${mechanism}`);
  }
  return {
    brokers: env.TEST_KAFKA_SASL_BROKERS,
    caFile: env.TEST_KAFKA_SASL_CA_FILE as string,
    mechanism,
    username: env.TEST_KAFKA_SASL_USERNAME as string,
    password: env.TEST_KAFKA_SASL_PASSWORD as string,
  };
}

/** The secured listener of this infrastructure; a test of it fails, naming what to set, when there is none. */
export function securedKafka(infra: TestInfra): SecuredKafka {
  if (infra.kafkaSecured) return infra.kafkaSecured;
  throw new Error(
    `no secured Kafka listener on this infrastructure (${infra.source}): with TEST_KAFKA_BROKERS, set ${SECURED_VARIABLES.join(', ')} ` +
      "too (the local stack's are the STACK_KAFKA_SASL_* lines of `deploy/local/stack.sh env`)",
  );
}

async function dockerEngineAnswers(): Promise<boolean> {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** The container's SASL_SSL listener (SCRAM-SHA-512) and its user, like the local stack's. */
const CONTAINER_SASL_PORT = 9096;
const CONTAINER_SCRAM = { username: 'backbone', password: 'backbone-scram-secret' };

async function startContainers(): Promise<TestInfra> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  // The broker's certificate must name the host the tests connect to: the container runtime's.
  const tls = makeTestCertificates((await getContainerRuntimeClient()).info.containerRuntime.host);
  const [postgres, kafka] = await Promise.all([
    new PostgreSqlContainer('postgres:16').withUsername('backbone').withPassword('backbone').start(),
    new KafkaContainer('confluentinc/cp-kafka:7.9.0')
      .withKraft()
      .withSaslSslListener({
        port: CONTAINER_SASL_PORT,
        sasl: { mechanism: 'SCRAM-SHA-512', user: { name: CONTAINER_SCRAM.username, password: CONTAINER_SCRAM.password } },
        keystore: { content: readFileSync(tls.keystore), passphrase: tls.passphrase },
      })
      .start(),
  ]);
  return {
    source: 'testcontainers',
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    kafkaSecured: {
      brokers: `${kafka.getHost()}:${kafka.getMappedPort(CONTAINER_SASL_PORT)}`,
      caFile: tls.caFile,
      mechanism: 'scram-sha-512',
      ...CONTAINER_SCRAM,
    },
    database: { host: postgres.getHost(), port: postgres.getPort(), user: 'backbone', password: 'backbone' },
    stop: async () => {
      await Promise.all([kafka.stop(), postgres.stop()]);
      rmSync(tls.dir, { recursive: true, force: true });
    },
  };
}

/**
 * A CA and a broker certificate for `host` (and localhost, 127.0.0.1), made with openssl in a fresh
 * directory: the CA as PEM, the broker's key and certificate as a PKCS#12 keystore (what the Kafka
 * container takes).
 */
function makeTestCertificates(host: string): { dir: string; caFile: string; keystore: string; passphrase: string } {
  const dir = mkdtempSync(join(tmpdir(), 'backbone-kafka-tls-'));
  const passphrase = 'backbone-keystore';
  const names = new Set([host, 'localhost', '127.0.0.1']);
  const subjectAltName = [...names].map((name) => (isIP(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=backbone test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${host}`, '-keyout', 'broker.key', '-out', 'broker.csr');
  writeFileSync(join(dir, 'broker.ext'), `subjectAltName=${subjectAltName}\nextendedKeyUsage=serverAuth\n`);
  openssl(
    'x509',
    '-req',
    '-in',
    'broker.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'broker.ext',
    '-out',
    'broker.pem',
  );
  openssl(
    'pkcs12',
    '-export',
    '-in',
    'broker.pem',
    '-inkey',
    'broker.key',
    '-certfile',
    'ca.pem',
    '-passout',
    `pass:${passphrase}`,
    '-out',
    'broker.p12',
  );
  return { dir, caFile: join(dir, 'ca.pem'), keystore: join(dir, 'broker.p12'), passphrase };
}

function startLocalStack(): TestInfra {
  const script = join(REPO_ROOT, 'deploy/local/stack.sh');
  execFileSync('bash', [script, 'up'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exported = execFileSync('bash', [script, 'env'], { encoding: 'utf8' });
  const vars = Object.fromEntries(
    [...exported.matchAll(/^export (\w+)=(.*)$/gm)].map(([, name, value]) => [name, value.replace(/^['"]|['"]$/g, '')]),
  );
  return {
    source: 'local-stack',
    kafkaBrokers: vars.KAFKA_BROKERS,
    kafkaSecured: {
      brokers: vars.STACK_KAFKA_SASL_BROKERS,
      caFile: vars.STACK_KAFKA_SASL_CA_FILE,
      mechanism: vars.STACK_KAFKA_SASL_MECHANISM as SecuredKafka['mechanism'],
      username: vars.STACK_KAFKA_SASL_USERNAME,
      password: vars.STACK_KAFKA_SASL_PASSWORD,
    },
    database: { host: vars.DATABASE_HOST, port: Number(vars.DATABASE_PORT), user: vars.DATABASE_USER, password: vars.DATABASE_PASSWORD },
  };
}

/** A service's connection settings on this infrastructure: a database of its own and the run's Kafka namespace. */
export function serviceConnectionEnv(infra: TestInfra, database: string, namespace: string): Record<string, string> {
  return {
    DATABASE_HOST: infra.database.host,
    DATABASE_PORT: String(infra.database.port),
    DATABASE_USER: infra.database.user,
    DATABASE_PASSWORD: infra.database.password,
    DATABASE_NAME: database,
    KAFKA_BROKERS: infra.kafkaBrokers,
    KAFKA_NAMESPACE: namespace,
  };
}

/** What global setup hands to the test workers, through their environment. */
export function infraToEnv(infra: TestInfra): Record<string, string> {
  const { host, port, user, password } = infra.database;
  const secured = infra.kafkaSecured;
  return {
    TEST_KAFKA_BROKERS: infra.kafkaBrokers,
    TEST_DATABASE_URL: `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/postgres`,
    ...(secured && {
      TEST_KAFKA_SASL_BROKERS: secured.brokers,
      TEST_KAFKA_SASL_CA_FILE: secured.caFile,
      TEST_KAFKA_SASL_MECHANISM: secured.mechanism,
      TEST_KAFKA_SASL_USERNAME: secured.username,
      TEST_KAFKA_SASL_PASSWORD: secured.password,
    }),
  };
}
