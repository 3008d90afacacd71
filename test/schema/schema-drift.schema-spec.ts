import { DataSource, type EntityMetadata } from 'typeorm';
import type { IndexMetadata } from 'typeorm/metadata/IndexMetadata';
import { MESSAGING_ENTITIES } from '@backbone/messaging';
import { dataSourceOptions } from '@backbone/platform';
import { createTestDatabase, dropTestDatabase, resolveInfra, testDatabaseConfig, TestInfra } from '@backbone/testing';
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
 *
 * The builder finds an index by its name and then looks only at its uniqueness and its set of columns (a
 * composite unique constraint: at its name alone), so the same database is also asked what each declared
 * one is: its table, key columns in order, uniqueness, partial predicate and INCLUDE columns, as PostgreSQL
 * has them (docs/adr/0009-entities-declare-the-migrated-schema.md).
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

  describe.each(SERVICES)('$service', ({ service, entities, migrations }) => {
    let database: string;
    let dataSource: DataSource;

    beforeAll(async () => {
      database = await createTestDatabase(infra, `drift_${service}`);
      dataSource = new DataSource(dataSourceOptions(testDatabaseConfig(infra, database), [...MESSAGING_ENTITIES, ...entities], migrations));
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
    });

    afterAll(async () => {
      if (dataSource?.isInitialized) await dataSource.destroy();
      if (database) await dropTestDatabase(infra, database);
    });

    it('a freshly migrated database needs no further migration', async () => {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    });

    it('every declared index and unique constraint is the one the migrations created', async () => {
      expect(await indexDrift(service, dataSource)).toEqual([]);
    });
  });
});

/** An index of the migrated database, as PostgreSQL has it. */
interface MigratedIndex {
  name: string;
  table: string;
  unique: boolean;
  method: string;
  /** Key columns in order: a column's name, an expression's text; DESC and NULLS FIRST/LAST appended. */
  keys: string[];
  /** The INCLUDE columns (indnkeyatts < indnatts), which `@Index` cannot declare. */
  include: string[];
  /** pg_get_expr of the partial index's predicate; null for a whole-table index. */
  predicate: string | null;
  /** 'p', 'u' or 'x' when the index is a constraint's (primary key, unique, exclusion). */
  constraintType: string | null;
  definition: string;
}

const MIGRATED_INDEXES = `
  SELECT ic.relname AS name, tc.relname AS "table", i.indisunique AS unique, am.amname AS method,
    array(
      SELECT coalesce(a.attname::text, pg_get_indexdef(i.indexrelid, k.n::int, true))
        || CASE WHEN i.indoption[k.n - 1] & 1 = 1 THEN ' DESC' ELSE '' END
        || CASE WHEN i.indoption[k.n - 1] & 3 = 2 THEN ' NULLS FIRST' WHEN i.indoption[k.n - 1] & 3 = 1 THEN ' NULLS LAST' ELSE '' END
      FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
      LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE k.n <= i.indnkeyatts ORDER BY k.n
    ) AS keys,
    array(
      SELECT a.attname::text
      FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE k.n > i.indnkeyatts ORDER BY k.n
    ) AS include,
    pg_get_expr(i.indpred, i.indrelid) AS predicate,
    (SELECT c.contype::text FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x') LIMIT 1)
      AS "constraintType",
    pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class tc ON tc.oid = i.indrelid
  JOIN pg_am am ON am.oid = ic.relam
  WHERE tc.relnamespace = current_schema()::regnamespace`;

/** A unique constraint of the migrated database. */
interface MigratedUnique {
  name: string;
  table: string;
  columns: string[];
  definition: string;
}

const MIGRATED_UNIQUES = `
  SELECT c.conname AS name, tc.relname AS "table",
    array(
      SELECT a.attname::text
      FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
      ORDER BY k.n
    ) AS columns,
    pg_get_constraintdef(c.oid) AS definition
  FROM pg_constraint c
  JOIN pg_class tc ON tc.oid = c.conrelid
  WHERE c.contype = 'u' AND tc.relnamespace = current_schema()::regnamespace`;

/**
 * What differs between the indexes and unique constraints the entities declare and those the migrations
 * created, one line per index: the service, table and index, declared against migrated. An index declared
 * with `synchronize: false` (an expression, a non-btree method or INCLUDE columns, which `@Index` cannot
 * describe) only has to exist on its table.
 */
async function indexDrift(service: string, dataSource: DataSource): Promise<string[]> {
  const indexes = new Map((await dataSource.query<MigratedIndex[]>(MIGRATED_INDEXES)).map((index) => [index.name, index]));
  const uniques = new Map((await dataSource.query<MigratedUnique[]>(MIGRATED_UNIQUES)).map((unique) => [unique.name, unique]));
  const tables = dataSource.entityMetadatas.filter((metadata) => metadata.tableType !== 'view' && metadata.synchronize);
  const predicates = await normalisedPredicates(dataSource, tables);
  const drift: string[] = [];

  for (const metadata of tables) {
    const table = metadata.tableName;
    for (const declared of metadata.indices) {
      const subject = `${service}: index ${declared.name} on ${table}`;
      const migrated = indexes.get(declared.name);
      if (!migrated) {
        drift.push(`${subject}: declared, but the migrations created no index of that name`);
        continue;
      }
      const differences: string[] = [];
      if (migrated.table !== table) differences.push(`declared on ${table}, migrated on ${migrated.table}`);
      if (declared.synchronize) {
        const keys = declared.columns.map((column) => column.databaseName);
        if (!sameList(keys, migrated.keys)) {
          differences.push(`key columns declared (${keys.join(', ')}), migrated (${migrated.keys.join(', ')})`);
        }
        if (migrated.include.length > 0) {
          differences.push(
            `migrated with INCLUDE (${migrated.include.join(', ')}), which @Index cannot declare: declare it with synchronize: false`,
          );
        }
        const method = declared.isSpatial ? 'gist' : 'btree';
        if (migrated.method !== method) {
          differences.push(`declared USING ${method}, migrated USING ${migrated.method}: declare it with synchronize: false`);
        }
        if (declared.isUnique !== migrated.unique) {
          differences.push(
            `declared ${declared.isUnique ? 'unique' : 'not unique'}, migrated ${migrated.unique ? 'unique' : 'not unique'}`,
          );
        }
        if (migrated.constraintType) {
          differences.push(`migrated as a ${constraintKind(migrated.constraintType)} constraint, declared as an index`);
        }
        const predicate = declared.where ? (predicates.get(declared) ?? declared.where) : null;
        if (predicate !== migrated.predicate) {
          differences.push(`WHERE declared ${predicate ?? 'none'}, migrated ${migrated.predicate ?? 'none'}`);
        }
      }
      if (differences.length > 0) drift.push(`${subject}: ${differences.join('; ')}; the migrations created: ${migrated.definition}`);
    }

    for (const declared of metadata.uniques) {
      const columns = declared.columns.map((column) => column.databaseName);
      if (!declared.givenName) {
        // `@Column({ unique: true })`: TypeORM names it with a hash, so any unique constraint on the column will do.
        const migrated = [...uniques.values()].find((unique) => unique.table === table && sameList(unique.columns, columns));
        if (!migrated) {
          drift.push(
            `${service}: column ${columns.join(', ')} of ${table}: declared unique, but the migrations created no unique constraint on it`,
          );
        }
        continue;
      }
      const subject = `${service}: unique constraint ${declared.name} on ${table}`;
      const migrated = uniques.get(declared.name);
      if (!migrated) {
        const index = indexes.get(declared.name);
        const instead = index ? `; an index of that name exists: ${index.definition}` : '';
        drift.push(`${subject}: declared, but the migrations created no unique constraint of that name${instead}`);
        continue;
      }
      const differences: string[] = [];
      if (migrated.table !== table) differences.push(`declared on ${table}, migrated on ${migrated.table}`);
      if (!sameList(columns, migrated.columns)) {
        differences.push(`columns declared (${columns.join(', ')}), migrated (${migrated.columns.join(', ')})`);
      }
      if (differences.length > 0) drift.push(`${subject}: ${differences.join('; ')}; the migrations created: ${migrated.definition}`);
    }
  }
  return drift;
}

/**
 * Each declared partial index's predicate as PostgreSQL prints it (pg_get_expr, like the migrated index's):
 * a throwaway index with the declared WHERE is created on the same table in a transaction that is rolled
 * back. A predicate PostgreSQL refuses comes back as the error it gave.
 */
async function normalisedPredicates(dataSource: DataSource, tables: EntityMetadata[]): Promise<Map<IndexMetadata, string>> {
  const predicates = new Map<IndexMetadata, string>();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    for (const metadata of tables) {
      const column = metadata.primaryColumns[0].databaseName;
      for (const index of metadata.indices.filter((declared) => declared.synchronize && declared.where)) {
        await runner.query('SAVEPOINT predicate_probe');
        try {
          await runner.query(`CREATE INDEX schema_drift_probe ON "${metadata.tableName}" ("${column}") WHERE ${index.where}`);
          const [{ predicate }] = (await runner.query(
            `SELECT pg_get_expr(indpred, indrelid) AS predicate FROM pg_index WHERE indexrelid = 'schema_drift_probe'::regclass`,
          )) as { predicate: string }[];
          predicates.set(index, predicate);
        } catch (error) {
          predicates.set(index, `${index.where} (which PostgreSQL refuses: ${(error as Error).message})`);
        } finally {
          await runner.query('ROLLBACK TO SAVEPOINT predicate_probe');
        }
      }
    }
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
  return predicates;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function constraintKind(type: string): string {
  return { p: 'primary key', u: 'unique', x: 'exclusion' }[type] ?? type;
}
