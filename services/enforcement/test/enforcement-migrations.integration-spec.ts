import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, dropTestDatabase, resolveInfra, TestInfra, testDataSource, testUscc } from '@backbone/testing';
import { ENFORCEMENT_MIGRATIONS } from '../src/migrations';
import { EnforcementProcess1763800000310 } from '../src/migrations/1763800000310-enforcement-process';
import { ComplaintDeadlines1763800005100 } from '../src/migrations/1763800005100-complaint-deadlines';

/** Every migration that runs before `next`: a database as it stood before that migration was written. */
const migrationsBefore = (next: (typeof ENFORCEMENT_MIGRATIONS)[number]) =>
  ENFORCEMENT_MIGRATIONS.slice(0, ENFORCEMENT_MIGRATIONS.indexOf(next));

/** Up to and including the last migration these specs are about: migrations written later have specs of their own. */
const MIGRATIONS_UNDER_TEST = ENFORCEMENT_MIGRATIONS.slice(0, ENFORCEMENT_MIGRATIONS.indexOf(ComplaintDeadlines1763800005100) + 1);

/** The process migration upgrades a database that already holds cases and decisions of the thin slice. */
describe('enforcement migrations on a database with data', () => {
  let infra: TestInfra;
  let database: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    infra = await resolveInfra();
    database = await createTestDatabase(infra, 'enforcement_migrations');
    dataSource = testDataSource(infra, database, migrationsBefore(EnforcementProcess1763800000310));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (database) await dropTestDatabase(infra, database);
  });

  it('keeps earlier cases and decisions valid, readable and published', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    const caseId = randomUUID();
    await dataSource.query(
      `INSERT INTO enforcement_case (id, correlation_id, uscc, department, status, violation_codes, opened_at, decided_at) VALUES ($1, 'c', $2, '320700-SAMR', 'decided', '["FOOD-001"]', now(), now())`,
      [caseId, testUscc(8_300_001)],
    );
    await dataSource.query(
      `INSERT INTO penalty_decision (id, case_id, decision_number, penalties, decided_by, decided_at) VALUES ($1, $2, 'OLD-1', '[{"kind":"warning"}]', '320700-SAMR', now())`,
      [randomUUID(), caseId],
    );
    const upgraded = new DataSource({ ...dataSource.options, migrations: MIGRATIONS_UNDER_TEST });
    await upgraded.initialize();
    try {
      expect((await upgraded.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual([
        'EnforcementProcess1763800000310',
        'ComplaintTransfers1763800000320',
        'ComplaintDeadlines1763800005100',
      ]);
      const [row] = await upgraded.query(
        `SELECT c.status, c.source, c.log_head_seq, d.severity, d.publish_until > now() AS published FROM enforcement_case c JOIN penalty_decision d ON d.case_id = c.id`,
      );
      expect(row).toEqual({ status: 'decided', source: 'inspection', log_head_seq: 0, severity: 'general', published: true });
      await expect(upgraded.query(`UPDATE enforcement_case SET status = 'nonsense' WHERE id = $1`, [caseId])).rejects.toThrow(
        /enforcement_case_status_known/,
      );
      await expect(upgraded.query(`UPDATE enforcement_case SET status = 'closed' WHERE id = $1`, [caseId])).rejects.toThrow(
        /closed_has_outcome/,
      );
      expect(Number((await upgraded.query(`SELECT count(*) AS n FROM discretion_benchmark`))[0].n)).toBeGreaterThan(10);
    } finally {
      await upgraded.destroy();
    }
  });

  it('gives complaints registered before deadlines a kind, a channel and an answer deadline', async () => {
    const before = new DataSource({
      ...dataSource.options,
      database: await createTestDatabase(infra, 'enforcement_complaints'),
    } as typeof dataSource.options);
    const name = (before.options as { database: string }).database;
    const upToTransfers = new DataSource({ ...before.options, migrations: migrationsBefore(ComplaintDeadlines1763800005100) });
    await upToTransfers.initialize();
    try {
      await upToTransfers.runMigrations({ transaction: 'each' });
      const id = randomUUID();
      await upToTransfers.query(
        `INSERT INTO complaint (id, uscc, department, complainant, content, violation_codes, status, registered_at)
         VALUES ($1, $2, '320700-SAMR', '张女士', '脏乱', '[]', 'registered', '2026-01-05T02:00:00Z')`,
        [id, testUscc(8_300_002)],
      );
      await upToTransfers.destroy();
      const upgraded = new DataSource({ ...before.options, migrations: MIGRATIONS_UNDER_TEST });
      await upgraded.initialize();
      try {
        expect((await upgraded.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['ComplaintDeadlines1763800005100']);
        const [row] = await upgraded.query(`SELECT kind, channel, answer_deadline, repeat_count FROM complaint WHERE id = $1`, [id]);
        expect(row).toEqual({ kind: 'complaint', channel: 'window', answer_deadline: new Date('2026-01-20T02:00:00Z'), repeat_count: 0 });
        await expect(upgraded.query(`UPDATE complaint SET status = 'lost' WHERE id = $1`, [id])).rejects.toThrow(/complaint_status_check/);
      } finally {
        await upgraded.destroy();
      }
    } finally {
      if (upToTransfers.isInitialized) await upToTransfers.destroy();
      await dropTestDatabase(infra, name);
    }
  });
});
