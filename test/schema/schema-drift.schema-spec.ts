import { DataSource } from 'typeorm';
import { MESSAGING_ENTITIES } from '@backbone/messaging';
import { BaseServiceConfig, dataSourceOptions } from '@backbone/platform';
import { createTestDatabase, dropTestDatabase, resolveInfra, TestInfra } from '@backbone/testing';
import { APPROVAL_ENTITIES } from '../../services/approval/src/approval.module';
import { APPROVAL_MIGRATIONS } from '../../services/approval/src/migrations';
import { CREDIT_ENTITIES } from '../../services/credit/src/credit.module';
import { CREDIT_MIGRATIONS } from '../../services/credit/src/migrations';
import { CONSOLE_MIGRATIONS } from '../../services/console/src/migrations';
import { INTEGRATION_MIGRATIONS } from '../../services/integration/src/migrations';
import { ENFORCEMENT_ENTITIES } from '../../services/enforcement/src/enforcement.module';
import { ENFORCEMENT_MIGRATIONS } from '../../services/enforcement/src/migrations';
import { SUPERVISION_ENTITIES } from '../../services/supervision/src/supervision.module';
import { SUPERVISION_MIGRATIONS } from '../../services/supervision/src/migrations';

/**
 * The entities and the migrations agree: on a database migrated from nothing, TypeORM's schema builder
 * (what `typeorm migration:generate` runs) finds nothing to change. A failure lists the SQL a migration
 * would need, or the entity decorator that does not say what the migrations created.
 */
const SERVICES = [
  { service: 'approval', entities: APPROVAL_ENTITIES, migrations: APPROVAL_MIGRATIONS },
  { service: 'supervision', entities: SUPERVISION_ENTITIES, migrations: SUPERVISION_MIGRATIONS },
  { service: 'enforcement', entities: ENFORCEMENT_ENTITIES, migrations: ENFORCEMENT_MIGRATIONS },
  { service: 'credit', entities: CREDIT_ENTITIES, migrations: CREDIT_MIGRATIONS },
  // Not yet: inspection (its entities declare varchar columns, defaults and constraints its migrations do not
  // have; about 150 statements). See docs/adr/0009-entities-declare-the-migrated-schema.md.
  // The console's read model and the integration service's tables are plain SQL (no entities): only their
  // messaging tables are compared.
  { service: 'console', entities: [], migrations: CONSOLE_MIGRATIONS },
  { service: 'integration', entities: [], migrations: INTEGRATION_MIGRATIONS },
];

describe('entities and migrations agree (schema drift)', () => {
  let infra: TestInfra;

  beforeAll(async () => {
    infra = await resolveInfra();
  });

  it.each(SERVICES)('$service: a freshly migrated database needs no further migration', async ({ service, entities, migrations }) => {
    const database = await createTestDatabase(infra, `drift_${service}`);
    const config = {
      DATABASE_HOST: infra.database.host,
      DATABASE_PORT: infra.database.port,
      DATABASE_USER: infra.database.user,
      DATABASE_PASSWORD: infra.database.password,
      DATABASE_NAME: database,
      DATABASE_POOL_SIZE: 2,
    } as BaseServiceConfig;
    const dataSource = new DataSource(dataSourceOptions(config, [...MESSAGING_ENTITIES, ...entities], migrations));
    try {
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropTestDatabase(infra, database);
    }
  });
});
