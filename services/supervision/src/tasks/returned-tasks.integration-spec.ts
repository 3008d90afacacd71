import { DataSource } from 'typeorm';
import { migratedTestDatabase, queryPlan, resolveInfra } from '@backbone/testing';
import { SUPERVISION_MIGRATIONS } from '../migrations';
import { SUPERVISION_ENTITIES } from '../supervision.module';
import { returnedTasks } from './task.repository';

/**
 * The returned tasks of an item (what a catalog change may route again) are read from an index that holds
 * only returned tasks, against real PostgreSQL with the service's migrations: the tasks every decided event
 * opens, assigned or claimed, pay no entry in it (ADR 0105).
 */
describe('returned tasks are found by an index of returned tasks only', () => {
  let db: DataSource;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ dataSource: db, drop } = await migratedTestDatabase(
      await resolveInfra(),
      'supervision_returned',
      SUPERVISION_MIGRATIONS,
      SUPERVISION_ENTITIES,
    ));
    // By i: 1–20,000 of the food item, assigned or claimed; 20,001–20,030 of it, returned; 20,031–20,040 of
    // another item, returned.
    await db.query(
      `INSERT INTO supervision_task (id, approval_id, approval_version, correlation_id, uscc, item_code, region_code, approver_department,
              assigned_department, routing_rule, routing_basis, status, assigned_at, assigned_by, claim_deadline)
       SELECT md5('task-' || i)::uuid, md5('approval-' || i)::uuid, 1, 'c-' || i, 'U' || lpad((i % 5000)::text, 17, '0'),
              CASE WHEN i > 20030 THEN 'DRUG-RETAIL-LICENCE' ELSE 'FOOD-BUSINESS-LICENCE' END, '320703', '320700-APPROVAL',
              '320700-SAMR', 'separated', 'separated',
              CASE WHEN i > 20000 THEN 'returned' WHEN i % 2 = 0 THEN 'claimed' ELSE 'assigned' END,
              now() - interval '3 days', 'routing', now() + interval '5 days'
         FROM generate_series(1, 20040) AS i`,
    );
    await db.query(`VACUUM ANALYZE supervision_task`);
  });

  afterAll(async () => {
    await drop?.();
  });

  it('locks the returned tasks of the item read from supervision_task_returned, and no others', async () => {
    const [sql, parameters] = returnedTasks(db.manager, 'FOOD-BUSINESS-LICENCE').getQueryAndParameters();
    const plan = await queryPlan(db, sql, parameters);
    expect(plan).toContain('supervision_task_returned');
    expect(plan).not.toContain('Seq Scan on supervision_task');
    expect(plan).toContain('LockRows');

    const found = await db.transaction((manager) => returnedTasks(manager, 'FOOD-BUSINESS-LICENCE').getMany());
    const expected: Array<{ id: string }> = await db.query(
      `SELECT md5('task-' || i)::uuid::text AS id FROM generate_series(20001, 20030) AS i ORDER BY 1`,
    );
    expect(found.map((task) => task.id).sort()).toEqual(expected.map((row) => row.id));
    expect(found.every((task) => task.status === 'returned' && task.itemCode === 'FOOD-BUSINESS-LICENCE')).toBe(true);
  });

  it('keeps no entry of an assigned or claimed task', async () => {
    // An index-only count over the partial index: its entries are the returned tasks, of both items.
    await db.query(`SET enable_seqscan = off`);
    try {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM supervision_task WHERE status = 'returned'`);
      const plan = await queryPlan(db, `SELECT count(*) FROM supervision_task WHERE status = 'returned'`);
      expect(plan).toContain('supervision_task_returned');
      expect(n).toBe(40);
      const [{ entries }] = await db.query(`SELECT reltuples::int AS entries FROM pg_class WHERE relname = 'supervision_task_returned'`);
      expect(entries).toBe(40);
    } finally {
      await db.query(`RESET enable_seqscan`);
    }
  });
});
