import { DataSource } from 'typeorm';
import { migratedTestDatabase, queryPlan, resolveInfra } from '@backbone/testing';
import { SUPERVISION_MIGRATIONS } from '../../migrations';
import { REMINDER_DUE } from '../../tasks/task.repository';
import { OVERDUE_VERIFICATIONS, remindDeadlinesUntil, SWEEP_PAGE } from './run-deadline-sweep.service';

/**
 * What the deadline sweep reads every minute, against real PostgreSQL with the service's migrations and
 * a backlog it has already acted on: 20,000 escalated verifications never recorded and 20,000 tasks
 * reminded on their last working day. Its statements find the rows it may still act on by indexes that
 * hold only those, not by reading the backlog again at every sweep (ADR 0086).
 */
describe('the deadline sweep reads only what it may still act on', () => {
  let db: DataSource;
  let drop: (() => Promise<void>) | undefined;
  const asOf = new Date('2026-06-10T04:00:00.000Z');
  const dueBy = remindDeadlinesUntil(asOf);

  beforeAll(async () => {
    ({ dataSource: db, drop } = await migratedTestDatabase(await resolveInfra(), 'supervision_sweep', SUPERVISION_MIGRATIONS));
    // Rows are written in deadline order, as tasks and verifications are when their deadline is counted from
    // their assignment. Tasks by i: 1–20,000 assigned and reminded, their deadlines within the reminder window;
    // 20,001–20,050 assigned, not reminded, within it (due); 20,051–22,050 claimed within it; 22,051–24,050
    // assigned beyond it.
    await db.query(
      `INSERT INTO supervision_task (id, approval_id, approval_version, correlation_id, uscc, item_code, region_code, approver_department,
              assigned_department, routing_rule, routing_basis, status, assigned_at, assigned_by, claim_deadline, reminded_at)
       SELECT md5('task-' || i)::uuid, md5('approval-' || i)::uuid, 1, 'c-' || i, 'U' || lpad((i % 5000)::text, 17, '0'),
              'FOOD-BUSINESS-LICENCE', '320703', '320700-APPROVAL', '320700-SAMR', 'separated', 'separated', status,
              $1::timestamptz - interval '3 days', 'routing', deadline, reminded_at
         FROM (SELECT i, 'assigned' AS status, $1::timestamptz + i * interval '4 s' AS deadline, $1::timestamptz - interval '1 hour' AS reminded_at
                 FROM generate_series(1, 20000) AS i
               UNION ALL
               SELECT i, 'assigned', $1::timestamptz + (i - 20000) * interval '1600 s' + interval '1 s', NULL FROM generate_series(20001, 20050) AS i
               UNION ALL
               SELECT i, 'claimed', $1::timestamptz + (i - 20050) * interval '40 s' + interval '2 s', NULL FROM generate_series(20051, 22050) AS i
               UNION ALL
               SELECT i, 'assigned', $2::timestamptz + (i - 22050) * interval '10 s', NULL FROM generate_series(22051, 24050) AS i) AS t
        ORDER BY deadline`,
      [asOf, dueBy],
    );
    // Commitment verifications of the claimed tasks, by i: 1–20,000 past due and escalated, never recorded;
    // 20,001–25,000 past due and recorded; 25,001–25,040 past due, neither (due); 25,041–25,050 the same
    // but without a task; 25,051–26,050 not yet due.
    await db.query(
      `INSERT INTO commitment_verification (id, approval_id, task_id, correlation_id, uscc, item_code, due_at, verified_at, escalated_at)
       SELECT md5('verification-' || i)::uuid, md5('commitment-' || i)::uuid,
              CASE WHEN i NOT BETWEEN 25041 AND 25050 THEN md5('task-' || (20051 + i % 2000))::uuid END,
              'c-' || i, 'U', 'FOOD-BUSINESS-LICENCE', due_at,
              CASE WHEN i BETWEEN 20001 AND 25000 THEN due_at + interval '1 day' END,
              CASE WHEN i <= 20000 THEN due_at + interval '1 minute' END
         FROM (SELECT i, CASE WHEN i > 25050 THEN $1::timestamptz + interval '1 day' + i * interval '1 s'
                              ELSE $1::timestamptz - interval '60 days' + (i % 25000) * interval '3 minutes' END AS due_at
                 FROM generate_series(1, 26050) AS i) AS v
        ORDER BY due_at`,
      [asOf],
    );
    for (const table of ['supervision_task', 'commitment_verification']) await db.query(`VACUUM ANALYZE ${table}`);
  });

  afterAll(async () => {
    await drop?.();
  });

  it('escalates the overdue verifications found by the index of unescalated ones, not the 20,000 escalated before', async () => {
    const plan = await queryPlan(db, OVERDUE_VERIFICATIONS, [asOf, SWEEP_PAGE]);
    expect(plan).toContain('commitment_verification_unescalated');
    expect(plan).not.toContain('Seq Scan on commitment_verification');

    const expected: Array<{ id: string }> = await db.query(
      `SELECT id::text FROM commitment_verification WHERE id IN (SELECT md5('verification-' || i)::uuid FROM generate_series(25001, 25040) AS i)
        ORDER BY due_at, id`,
    );
    const found = await db.transaction((manager) => manager.query(OVERDUE_VERIFICATIONS, [asOf, SWEEP_PAGE]));
    expect(found.map((row: { id: string }) => row.id)).toEqual(expected.map((row) => row.id));
  });

  it('reminds the tasks due found by the index of unreminded ones, not the 20,000 reminded before', async () => {
    const plan = await queryPlan(db, REMINDER_DUE, [asOf, dueBy, SWEEP_PAGE]);
    expect(plan).toContain('supervision_task_unreminded');
    expect(plan).not.toContain('Seq Scan on supervision_task');

    const expected: Array<{ id: string }> = await db.query(
      `SELECT id::text FROM supervision_task WHERE id IN (SELECT md5('task-' || i)::uuid FROM generate_series(20001, 20050) AS i)
        ORDER BY claim_deadline, id`,
    );
    const found = await db.transaction((manager) => manager.query(REMINDER_DUE, [asOf, dueBy, SWEEP_PAGE]));
    expect(found.map((row: { id: string }) => row.id)).toEqual(expected.map((row) => row.id));
    expect(found).toHaveLength(50);
  });
});
