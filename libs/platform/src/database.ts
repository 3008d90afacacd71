import type { DataSourceOptions, MixedList } from 'typeorm';
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
