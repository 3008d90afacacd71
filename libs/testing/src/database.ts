import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';
import type { BaseServiceConfig } from '@backbone/platform';
import type { TestInfra } from './infra';

const TEST_NAME = /^test_[a-z0-9_]+$/;

/** Refuses any database whose name does not say it is for tests. */
export function assertTestDatabaseName(name: string): void {
  if (!TEST_NAME.test(name)) throw new Error(`refusing to use database '${name}': test databases are named test_…`);
}

async function admin<T>(infra: TestInfra, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...infra.database, database: 'postgres' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for one test suite; returns its name. */
export async function createTestDatabase(infra: TestInfra, label: string): Promise<string> {
  const name = `test_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  assertTestDatabaseName(name);
  await admin(infra, (client) => client.query(`CREATE DATABASE ${name}`));
  return name;
}

export async function dropTestDatabase(infra: TestInfra, name: string): Promise<void> {
  assertTestDatabaseName(name);
  await admin(infra, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** A plain client on a test database, for assertions on what a service wrote. */
export async function connectTestDatabase(infra: TestInfra, name: string): Promise<Client> {
  assertTestDatabaseName(name);
  const client = new Client({ ...infra.database, database: name });
  await client.connect();
  return client;
}

/**
 * A TypeORM DataSource on a test database that runs the given migrations as the services run theirs
 * (their table, each in its own transaction); not yet initialized. For the specs of a migration on a
 * database in use: initialize with the migrations before it, write rows, then run it.
 */
export function testDataSource(
  infra: TestInfra,
  name: string,
  migrations: Array<new () => MigrationInterface>,
  entities: DataSourceOptions['entities'] = [],
): DataSource {
  assertTestDatabaseName(name);
  return new DataSource({
    type: 'postgres',
    ...infra.database,
    username: infra.database.user,
    database: name,
    migrations,
    entities,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
  });
}

/**
 * A fresh test database with a service's migrations run, as a TypeORM DataSource (the schema as the
 * service's own start would leave it), knowing `entities` for query builders; `drop` closes it and drops
 * the database.
 */
export async function migratedTestDatabase(
  infra: TestInfra,
  label: string,
  migrations: Array<new () => MigrationInterface>,
  entities: DataSourceOptions['entities'] = [],
): Promise<{ dataSource: DataSource; drop: () => Promise<void> }> {
  const name = await createTestDatabase(infra, label);
  const dataSource = testDataSource(infra, name, migrations, entities);
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropTestDatabase(infra, name);
    throw error;
  }
  return {
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropTestDatabase(infra, name);
    },
  };
}

/** What PostgreSQL plans for a statement (`EXPLAIN`, its lines joined), on a session that can run queries. */
export async function queryPlan(
  session: { query(text: string, parameters?: unknown[]): Promise<unknown> },
  statement: string,
  parameters?: unknown[],
): Promise<string> {
  const lines = (await session.query(`EXPLAIN ${statement}`, parameters)) as Array<{ 'QUERY PLAN': string }>;
  return lines.map((line) => line['QUERY PLAN']).join('\n');
}

/** A service's database settings for a test database (what `dataSourceOptions` reads), with a small pool. */
export function testDatabaseConfig(infra: TestInfra, name: string): BaseServiceConfig {
  assertTestDatabaseName(name);
  return {
    DATABASE_HOST: infra.database.host,
    DATABASE_PORT: infra.database.port,
    DATABASE_USER: infra.database.user,
    DATABASE_PASSWORD: infra.database.password,
    DATABASE_NAME: name,
    DATABASE_POOL_SIZE: 2,
  } as BaseServiceConfig;
}
