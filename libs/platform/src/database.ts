import type { DataSource, DataSourceOptions, EntityManager, MixedList } from 'typeorm';
import type { BaseServiceConfig } from './config';

/**
 * TypeORM options for a service's own database. The schema is what the migrations say:
 * `synchronize` is never on.
 */
export function dataSourceOptions(
  config: BaseServiceConfig,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string>,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>,
): DataSourceOptions {
  return {
    type: 'postgres',
    host: config.DATABASE_HOST,
    port: config.DATABASE_PORT,
    username: config.DATABASE_USER,
    password: config.DATABASE_PASSWORD,
    database: config.DATABASE_NAME,
    entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // A connection that cannot be made in 10 s fails (a transient error: REST answers 503, the inbox
    // waits) instead of hanging the request.
    extra: { max: config.DATABASE_POOL_SIZE, application_name: config.DATABASE_NAME, connectionTimeoutMillis: 10_000 },
  };
}

/** Keeps a transaction's statements from planning parallel workers (ADR 0126). */
export const ONE_CORE = `SET LOCAL max_parallel_workers_per_gather = 0`;

/**
 * Runs `work` in a transaction whose statements each use one core. For the periodic aggregates over a period
 * (the reconciliation's tick, the ledger's counts it asks for): planned as parallel scans they took both
 * cores of a two-core machine for a third of a second, and the POSTs and the loop waited (ADR 0126).
 */
export function onOneCore<T>(dataSource: Pick<DataSource, 'transaction'>, work: (db: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (db) => {
    await db.query(ONE_CORE);
    return work(db);
  });
}
