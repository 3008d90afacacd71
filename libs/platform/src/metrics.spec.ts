import type { DataSource } from 'typeorm';
import { Metrics, registerSqlGauges, SqlGauge, SqlGaugeReadings } from './metrics';

/**
 * The SQL gauges' readings (ADR 0088), against a stand-in connection that records its statements: how
 * often the tables are read, in what transaction, and what a scrape shows when a statement fails. The
 * same against real PostgreSQL (a statement cancelled by its timeout): test/integration/sql-gauges.
 */
const GAUGES: SqlGauge[] = [
  { name: 'things', help: 'Things by status', labels: ['status'], sql: 'SELECT status, count(*) AS value FROM thing GROUP BY 1' },
  { name: 'things_late', help: 'Things late now', sql: 'SELECT count(*) AS value FROM thing WHERE late' },
];

function fakeDatabase(answers: Record<string, () => unknown>, options: { connectFails?: () => boolean } = {}) {
  const statements: string[] = [];
  let connections = 0;
  let released = 0;
  const dataSource = {
    createQueryRunner: () => ({
      connect: async () => {
        if (options.connectFails?.()) throw new Error('connect ECONNREFUSED');
        connections++;
      },
      query: async (sql: string) => {
        statements.push(sql);
        const answer = answers[sql];
        return answer ? answer() : [];
      },
      release: async () => {
        released++;
      },
    }),
  } as unknown as DataSource;
  return { dataSource, statements, connections: () => connections, released: () => released };
}

const gaugeStatements = (statements: string[]) => statements.filter((sql) => sql.startsWith('SELECT'));

describe('SQL gauges on /metrics', () => {
  const rows = {
    [GAUGES[0].sql]: () => [
      { status: 'open', value: 3 },
      { status: 'closed', value: '7' },
    ],
    [GAUGES[1].sql]: () => [{ value: 2 }],
  };

  it('reads every gauge of a scrape in one read-only snapshot on one connection, under the statement timeout', async () => {
    const db = fakeDatabase(rows);
    const metrics = new Metrics();
    registerSqlGauges(metrics, db.dataSource, GAUGES, { maxAgeMs: 30_000, timeoutMs: 1_500 });

    const text = await metrics.registry.metrics();

    expect(text).toMatch(/^things\{status="open"\} 3$/m);
    expect(text).toMatch(/^things\{status="closed"\} 7$/m);
    expect(text).toMatch(/^things_late 2$/m);
    expect(db.connections()).toBe(1);
    expect(db.released()).toBe(1);
    expect(db.statements).toEqual([
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      'SET LOCAL statement_timeout = 1500',
      'SAVEPOINT gauge',
      GAUGES[0].sql,
      'RELEASE SAVEPOINT gauge',
      'SAVEPOINT gauge',
      GAUGES[1].sql,
      'RELEASE SAVEPOINT gauge',
      'COMMIT',
    ]);
  });

  it('answers scrapes within the maximum age from the last reading, and reads again after it', async () => {
    let now = 1_000_000;
    let open = 3;
    const db = fakeDatabase({ ...rows, [GAUGES[0].sql]: () => [{ status: 'open', value: open }] });
    const readings = new SqlGaugeReadings(db.dataSource, GAUGES, { maxAgeMs: 30_000, timeoutMs: 5_000 }, () => now);

    expect((await readings.read()).get('things')).toEqual([{ status: 'open', value: 3 }]);
    open = 4;
    now += 29_999;
    expect((await readings.read()).get('things')).toEqual([{ status: 'open', value: 3 }]);
    expect(gaugeStatements(db.statements)).toHaveLength(2);
    now += 1;
    expect((await readings.read()).get('things')).toEqual([{ status: 'open', value: 4 }]);
    expect(gaugeStatements(db.statements)).toHaveLength(4);
  });

  it('gives scrapes that come while a reading runs that same reading', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const db = fakeDatabase({
      ...rows,
      [GAUGES[0].sql]: async () => {
        await slow;
        return [{ status: 'open', value: 3 }];
      },
    });
    const metrics = new Metrics();
    registerSqlGauges(metrics, db.dataSource, GAUGES, { maxAgeMs: 0, timeoutMs: 5_000 });

    const scrapes = [metrics.registry.metrics(), metrics.registry.metrics(), metrics.registry.metrics()];
    release();
    const texts = await Promise.all(scrapes);

    for (const text of texts) expect(text).toMatch(/^things\{status="open"\} 3$/m);
    expect(db.connections()).toBe(1);
    expect(gaugeStatements(db.statements)).toHaveLength(2);
  });

  it('reads at every scrape when the maximum age is 0', async () => {
    const db = fakeDatabase(rows);
    const metrics = new Metrics();
    registerSqlGauges(metrics, db.dataSource, GAUGES, { maxAgeMs: 0, timeoutMs: 5_000 });

    await metrics.registry.metrics();
    await metrics.registry.metrics();

    expect(db.connections()).toBe(2);
  });

  it('leaves only the gauge whose statement failed without series, rolled back to its savepoint', async () => {
    const db = fakeDatabase({
      ...rows,
      [GAUGES[0].sql]: () => {
        throw new Error('canceling statement due to statement timeout');
      },
    });
    const metrics = new Metrics();
    registerSqlGauges(metrics, db.dataSource, GAUGES, { maxAgeMs: 30_000, timeoutMs: 5_000 });

    const text = await metrics.registry.metrics();

    expect(text).toContain('# HELP things Things by status');
    expect(text).not.toMatch(/^things\{/m);
    expect(text).toMatch(/^things_late 2$/m);
    expect(db.statements.slice(2, 5)).toEqual(['SAVEPOINT gauge', GAUGES[0].sql, 'ROLLBACK TO SAVEPOINT gauge']);
    expect(db.statements.at(-1)).toBe('COMMIT');
  });

  it('answers a scrape without series while the database is down, and reads again at the next scrape', async () => {
    let down = true;
    const db = fakeDatabase(rows, { connectFails: () => down });
    const metrics = new Metrics();
    registerSqlGauges(metrics, db.dataSource, GAUGES, { maxAgeMs: 30_000, timeoutMs: 5_000 });

    const during = await metrics.registry.metrics();
    expect(during).toContain('# HELP things_late Things late now');
    expect(during).not.toMatch(/^things_late /m);

    down = false;
    expect(await metrics.registry.metrics()).toMatch(/^things_late 2$/m);
  });
});
