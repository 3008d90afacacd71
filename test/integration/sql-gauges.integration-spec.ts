import { DataSource } from 'typeorm';
import { Metrics, registerSqlGauges, SqlGauge } from '@backbone/platform';
import { migratedTestDatabase, resolveInfra } from '@backbone/testing';

/**
 * The SQL gauges on /metrics against real PostgreSQL (ADR 0088): a scrape within the maximum age is
 * answered from the last reading, and a gauge whose statement outlasts the timeout is cancelled by the
 * server and scraped without series while the others are.
 */
describe('SQL gauges read from PostgreSQL', () => {
  let db: DataSource;
  let drop: (() => Promise<void>) | undefined;

  const COUNT: SqlGauge = {
    name: 'probe_things',
    help: 'Things by status',
    labels: ['status'],
    sql: `SELECT status, count(*)::int AS value FROM probe_thing GROUP BY 1`,
  };
  const SLOW: SqlGauge = { name: 'probe_slow', help: 'A count that takes too long', sql: `SELECT 1 AS value FROM pg_sleep(5)` };
  const LATE: SqlGauge = { name: 'probe_late', help: 'Things late', sql: `SELECT count(*)::int AS value FROM probe_thing WHERE late` };

  beforeAll(async () => {
    ({ dataSource: db, drop } = await migratedTestDatabase(await resolveInfra(), 'sql_gauges', []));
    await db.query(`CREATE TABLE probe_thing (id serial PRIMARY KEY, status text NOT NULL, late boolean NOT NULL DEFAULT false)`);
    await db.query(`INSERT INTO probe_thing (status, late) VALUES ('open', true), ('open', false), ('closed', false)`);
  });

  afterAll(async () => {
    await drop?.();
  });

  it('cancels a gauge past its timeout and scrapes the others, then keeps the reading for its maximum age', async () => {
    const metrics = new Metrics();
    registerSqlGauges(metrics, db, [COUNT, SLOW, LATE], { maxAgeMs: 60_000, timeoutMs: 300 });

    const first = await metrics.registry.metrics();
    expect(first).toMatch(/^probe_things\{status="open"\} 2$/m);
    expect(first).toMatch(/^probe_things\{status="closed"\} 1$/m);
    expect(first).toMatch(/^probe_late 1$/m);
    expect(first).toContain('# HELP probe_slow A count that takes too long');
    expect(first).not.toMatch(/^probe_slow /m);

    await db.query(`INSERT INTO probe_thing (status, late) VALUES ('open', true)`);
    const within = await metrics.registry.metrics();
    expect(within).toMatch(/^probe_things\{status="open"\} 2$/m);
    expect(within).toMatch(/^probe_late 1$/m);
  });

  it('reads the tables at every scrape with a maximum age of 0', async () => {
    const metrics = new Metrics();
    registerSqlGauges(metrics, db, [COUNT], { maxAgeMs: 0, timeoutMs: 5_000 });
    const before = await metrics.registry.metrics();
    const open = Number(/^probe_things\{status="open"\} (\d+)$/m.exec(before)?.[1]);

    await db.query(`INSERT INTO probe_thing (status) VALUES ('open')`);

    expect(await metrics.registry.metrics()).toMatch(new RegExp(`^probe_things\\{status="open"\\} ${open + 1}$`, 'm'));
  });
});
