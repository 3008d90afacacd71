import type { DataSource } from 'typeorm';
import { createTestDatabase, dropTestDatabase, resolveInfra, TestInfra, testDataSource } from '@backbone/testing';
import { Handoff1763800000220 } from './1763800000220-handoff';
import { SUPERVISION_MIGRATIONS } from './index';

/**
 * The handoff migration moves a database that already holds seed entries and tasks forward (and back):
 * existing entries cover their own item, existing tasks keep their routing, the seed keeps routing.
 */
describe('the handoff migration on a database in use', () => {
  let infra: TestInfra;
  let name: string;
  let db: DataSource;

  beforeAll(async () => {
    infra = await resolveInfra();
    name = await createTestDatabase(infra, 'supervision_migration');
    db = testDataSource(infra, name, SUPERVISION_MIGRATIONS.slice(0, SUPERVISION_MIGRATIONS.indexOf(Handoff1763800000220)));
    await db.initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    if (name) await dropTestDatabase(infra, name);
  });

  it('migrates entries and tasks forward, and back', async () => {
    await db.runMigrations();
    await db.query(`
      INSERT INTO supervision_task (id, approval_id, approval_version, correlation_id, uscc, item_code, region_code, approver_department,
        assigned_department, routing_rule, catalog_entry_id, catalog_version, status, claim_deadline)
      VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', 1, 'c-1', '91320700MA1MXXK01L',
        'FOOD-BUSINESS-LICENCE', '320703', '320700-APPROVAL', '320700-SAMR', 'separated', '6f1d1a9e-0c1b-4f51-9a63-000000000001', 1,
        'claimed', now())`);

    // Up to and including the migration under test: later ones would run too, and be the one undone.
    Object.assign(db.options, { migrations: SUPERVISION_MIGRATIONS.slice(0, SUPERVISION_MIGRATIONS.indexOf(Handoff1763800000220) + 1) });
    await db.destroy();
    await db.initialize();
    expect(await db.runMigrations()).toHaveLength(1);

    const entries = await db.query(`SELECT id, approval_item_codes, level, legal_basis, version FROM catalog_entry ORDER BY id`);
    expect(entries).toHaveLength(4);
    expect(entries[0]).toMatchObject({ approval_item_codes: ['FOOD-BUSINESS-LICENCE'], level: 'city', version: 1 });
    expect(entries[0].legal_basis).toMatch(/食品安全法/);
    expect(entries[3]).toMatchObject({ level: 'province' });
    expect(await db.query(`SELECT entry_id, version FROM catalog_entry_version ORDER BY entry_id`)).toHaveLength(4);
    const [task] = await db.query(`SELECT status, routing_basis, assigned_by, returns FROM supervision_task`);
    expect(task).toEqual({ status: 'claimed', routing_basis: 'separated', assigned_by: 'routing', returns: [] });
    await expect(db.query(`UPDATE supervision_task SET status = 'lost'`)).rejects.toThrow(/supervision_task_status_check/);

    await db.undoLastMigration();
    const [old] = await db.query(`SELECT count(*)::int AS n FROM catalog_entry`);
    expect(old.n).toBe(4);
    await expect(db.query(`SELECT approval_item_codes FROM catalog_entry`)).rejects.toThrow(/does not exist/);
  });
});
