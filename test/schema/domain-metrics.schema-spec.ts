import { DataSource } from 'typeorm';
import { dataSourceOptions, Metrics, registerSqlGauges } from '@backbone/platform';
import { createTestDatabase, dropTestDatabase, resolveInfra, testDatabaseConfig, TestInfra } from '@backbone/testing';
import { APPROVAL_METRICS } from '../../services/approval/src/approval.metrics';
import { APPROVAL_MIGRATIONS } from '../../services/approval/src/migrations';
import { CONSOLE_METRICS } from '../../services/console/src/console.metrics';
import { CONSOLE_MIGRATIONS } from '../../services/console/src/migrations';
import { CREDIT_METRICS } from '../../services/credit/src/credit.metrics';
import { CREDIT_MIGRATIONS } from '../../services/credit/src/migrations';
import { ENFORCEMENT_METRICS } from '../../services/enforcement/src/enforcement.metrics';
import { ENFORCEMENT_MIGRATIONS } from '../../services/enforcement/src/migrations';
import { INSPECTION_METRICS } from '../../services/inspection/src/inspection.metrics';
import { INSPECTION_MIGRATIONS } from '../../services/inspection/src/migrations';
import { SUPERVISION_METRICS } from '../../services/supervision/src/supervision.metrics';
import { SUPERVISION_MIGRATIONS } from '../../services/supervision/src/migrations';

/**
 * Every service's domain gauges (read from its tables when Prometheus scrapes) run against the schema
 * its migrations build, and appear on the scrape with their HELP text: a renamed column fails here,
 * not silently on a dashboard.
 */
const SERVICES = [
  { service: 'approval', gauges: APPROVAL_METRICS, migrations: APPROVAL_MIGRATIONS },
  { service: 'supervision', gauges: SUPERVISION_METRICS, migrations: SUPERVISION_MIGRATIONS },
  { service: 'enforcement', gauges: ENFORCEMENT_METRICS, migrations: ENFORCEMENT_MIGRATIONS },
  { service: 'credit', gauges: CREDIT_METRICS, migrations: CREDIT_MIGRATIONS },
  { service: 'inspection', gauges: INSPECTION_METRICS, migrations: INSPECTION_MIGRATIONS },
  { service: 'console', gauges: CONSOLE_METRICS, migrations: CONSOLE_MIGRATIONS },
];

describe('domain metrics read the migrated schema', () => {
  let infra: TestInfra;

  beforeAll(async () => {
    infra = await resolveInfra();
  });

  it.each(SERVICES)('$service: every gauge query runs and is scraped', async ({ service, gauges, migrations }) => {
    const database = await createTestDatabase(infra, `metrics_${service}`);
    const dataSource = new DataSource(dataSourceOptions(testDatabaseConfig(infra, database), [], migrations));
    try {
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      for (const gauge of gauges) {
        const rows: Array<Record<string, unknown>> = await dataSource.query(gauge.sql);
        for (const row of rows) expect(Object.keys(row).sort()).toEqual([...(gauge.labels ?? []), 'value'].sort());
      }
      const metrics = new Metrics();
      registerSqlGauges(metrics, dataSource, gauges, { maxAgeMs: 0, timeoutMs: 5_000 });
      const scrape = await metrics.registry.metrics();
      for (const gauge of gauges) expect(scrape).toContain(`# HELP ${gauge.name} ${gauge.help}`);
      // an unlabelled count is scraped as a value even on an empty database
      const plain = gauges.find((gauge) => !gauge.labels?.length);
      if (plain) expect(scrape).toMatch(new RegExp(`^${plain.name} 0$`, 'm'));
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropTestDatabase(infra, database);
    }
  });
});
