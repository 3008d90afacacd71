import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where tests find Kafka and PostgreSQL. */
export interface TestInfra {
  kafkaBrokers: string;
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
 * 1. given in the environment (TEST_KAFKA_BROKERS and TEST_DATABASE_URL), else
 * 2. containers, when a Docker engine answers, else
 * 3. the project's local stack (deploy/local/stack.sh: Kafka from Maven Central, PostgreSQL from Debian).
 */
export async function resolveInfra(env: NodeJS.ProcessEnv = process.env): Promise<TestInfra> {
  if (env.TEST_KAFKA_BROKERS && env.TEST_DATABASE_URL) {
    const url = new URL(env.TEST_DATABASE_URL);
    return {
      source: 'environment',
      kafkaBrokers: env.TEST_KAFKA_BROKERS,
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

async function startContainers(): Promise<TestInfra> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const [postgres, kafka] = await Promise.all([
    new PostgreSqlContainer('postgres:16').withUsername('backbone').withPassword('backbone').start(),
    new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start(),
  ]);
  return {
    source: 'testcontainers',
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    database: { host: postgres.getHost(), port: postgres.getPort(), user: 'backbone', password: 'backbone' },
    stop: async () => {
      await Promise.all([kafka.stop(), postgres.stop()]);
    },
  };
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
  return {
    TEST_KAFKA_BROKERS: infra.kafkaBrokers,
    TEST_DATABASE_URL: `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/postgres`,
  };
}
