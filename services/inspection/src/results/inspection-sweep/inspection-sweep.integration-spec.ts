import { DataSource } from 'typeorm';
import { migratedTestDatabase, queryPlan, resolveInfra } from '@backbone/testing';
import { INSPECTION_MIGRATIONS } from '../../migrations';
import { INSPECTION_FIGURES, KEY_COVERAGE, yearRange } from '../../publication/figures/inspection-figures';
import { ESCALATE_CHECKS, REMIND_CHECKS, WITHDRAW_RESULTS } from './inspection-sweep.service';

/** The instant the sweep runs at: early in a year, as the figures of the current year are most of the time. */
const AT = '2026-03-01T00:00:00.000Z';

/** The figures and key coverage as they were before ADR 0087, for their answers: the year taken by extract. */
const FIGURES_BY_EXTRACT = `WITH team AS (
       SELECT t.id AS task_id, t.plan_id, extract(year FROM t.created_at)::int AS year, team->>'department' AS department
       FROM inspection_task t CROSS JOIN jsonb_array_elements(t.teams) AS team
       WHERE ($1::int IS NULL OR extract(year FROM t.created_at)::int = $1) AND ($2::uuid IS NULL OR t.plan_id = $2)
     )
     SELECT team.year, team.plan_id AS "planId", team.department, c.stratum,
       count(DISTINCT c.id)::int AS drawn,
       count(DISTINCT c.id) FILTER (WHERE c.status = 'done')::int AS checked,
       count(DISTINCT c.id) FILTER (WHERE c.status = 'done' AND c.completed_at <= c.deadline)::int AS "completedOnTime",
       count(r.id)::int AS results,
       count(r.id) FILTER (WHERE r.published_at IS NOT NULL AND r.published_at <= r.publish_by)::int AS "publishedOnTime",
       count(r.id) FILTER (WHERE r.category NOT IN ('no_problem', 'not_operating'))::int AS problems
     FROM team
     JOIN inspection_check c ON c.task_id = team.task_id AND c.status <> 'superseded'
     LEFT JOIN inspection_result r ON r.check_id = c.id AND r.department = team.department
     WHERE ($3::text IS NULL OR team.department = $3)
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
const KEY_COVERAGE_BY_EXTRACT = `SELECT count(*)::int AS "keyEntities",
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM inspection_result r WHERE r.uscc = t.uscc AND extract(year FROM r.inspected_at)::int = $1))::int AS inspected
     FROM target_entity t WHERE t.key_supervision AND t.status = 'active'`;

const task = (n: string) => `('00000000-0000-4000-8000-' || lpad((${n})::text, 12, '0'))::uuid`;
const draw = (n: string) => `('10000000-0000-4000-8000-' || lpad((${n})::text, 12, '0'))::uuid`;
const check = (n: string) => `('20000000-0000-4000-8000-' || lpad((${n})::text, 12, '0'))::uuid`;
const checkId = (n: number) => `20000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * Ten years of random inspection: 2,032 tasks of two departments, created every 43 h 48 min from 2016 to
 * February 2026; 30 checks each (60,960); 20,000 entities in the target pool, 800 of them key and active;
 * a result of the first department for each done check and for checks 1–25, published two days after the
 * inspection and withdrawn 1,095 days later (the sweep of a day ago withdrew those due then).
 *
 * The checks, by number:
 * - 1–50 are due for their reminder, their deadline not yet passed;
 * - 51–80 were reminded and are past their deadline, not yet escalated;
 * - 81–5,080 are the chased backlog: pending, reminded and escalated long ago;
 * - 5,081–8,080 are pending and their reminder not yet due;
 * - the rest are done.
 */
async function seedTenYears(db: DataSource): Promise<void> {
  const at = `timestamptz '${AT}'`;
  await db.query(`
    INSERT INTO inspection_task (id, reference, title, lead_department, status, teams, items, filters, created_at, updated_at)
    SELECT ${task('i')}, 'T-' || i, '双随机抽查', 'D1', 'drawn',
      '[{"department":"D1","itemCodes":[],"inspectorsPerEntity":1},{"department":"D2","itemCodes":[],"inspectorsPerEntity":1}]',
      '[]', '{}', timestamptz '2016-01-01 00:00+00' + i * interval '43 hours 48 minutes', now()
    FROM generate_series(1, 2032) AS i`);
  await db.query(`
    INSERT INTO task_draw (id, task_id, round, seed_commitment)
    SELECT ${draw('i')}, ${task('i')}, 1, repeat('0', 64) FROM generate_series(1, 2032) AS i`);
  await db.query(`
    INSERT INTO inspection_check (id, task_id, draw_id, uscc, stratum, inspectors, status, deadline, remind_at, reminded_at, escalated_at, completed_at)
    SELECT ${check('i')}, ${task('(i - 1) / 30 + 1')}, ${draw('(i - 1) / 30 + 1')}, 'U' || lpad(((i - 1) % 20000)::text, 17, '0'), 'A', '[]',
      CASE WHEN i <= 8080 THEN 'pending' ELSE 'done' END,
      s.deadline, s.remind_at, s.reminded_at, s.escalated_at, CASE WHEN i > 8080 THEN s.deadline - interval '1 day' END
    FROM generate_series(1, 60960) AS i CROSS JOIN LATERAL (
      SELECT * FROM (VALUES
        (i <= 50, ${at} + interval '4 days', ${at} - interval '1 hour', NULL::timestamptz, NULL::timestamptz),
        (i > 50 AND i <= 80, ${at} - interval '1 hour', ${at} - interval '6 days', ${at} - interval '6 days', NULL),
        (i > 80 AND i <= 5080, ${at} - interval '5 days' - i * interval '1 minute', ${at} - interval '10 days' - i * interval '1 minute',
          ${at} - interval '10 days' - i * interval '1 minute', ${at} - interval '5 days' - i * interval '1 minute'),
        (i > 5080 AND i <= 8080, ${at} + interval '6 days' + i * interval '1 minute', ${at} + interval '1 day' + i * interval '1 minute', NULL, NULL),
        (i > 8080, ${at} - interval '30 days' - i * interval '1 minute', ${at} - interval '35 days' - i * interval '1 minute', NULL, NULL)
      ) AS v(applies, deadline, remind_at, reminded_at, escalated_at) WHERE applies
    ) AS s`);
  await db.query(`
    INSERT INTO inspection_result (id, check_id, task_id, uscc, department, category, item_codes, inspector_ids, findings, violations,
      evidence_refs, inspected_at, recorded_at, publish_by, published_at, withdraw_at, withdrawn_at)
    SELECT ('30000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, c.id, c.task_id, c.uscc, 'D1',
      CASE WHEN i % 7 = 0 THEN 'ordered_to_correct' ELSE 'no_problem' END, '{}', '{}', '', '[]', '{}',
      d.inspected_at, d.inspected_at, d.inspected_at + interval '20 days', p.published_at, p.withdraw_at,
      CASE WHEN p.withdraw_at <= ${at} - interval '1 day' THEN p.withdraw_at END
    FROM generate_series(1, 60960) AS i
    JOIN inspection_check c ON c.id = ${check('i')}
    CROSS JOIN LATERAL (SELECT timestamptz '2016-01-01 00:00+00' + i * interval '87 minutes' AS inspected_at) AS d
    CROSS JOIN LATERAL (
      SELECT CASE WHEN i > 25 THEN d.inspected_at + interval '2 days' END AS published_at,
        CASE WHEN i > 25 THEN d.inspected_at + interval '1097 days' END AS withdraw_at
    ) AS p
    WHERE i <= 25 OR i > 8080`);
  await db.query(`
    INSERT INTO target_entity (uscc, name, entity_type, region_code, key_supervision, status, source)
    SELECT 'U' || lpad(i::text, 17, '0'), '测试' || i, 'enterprise', '320703', i % 20 = 0,
      CASE WHEN i % 100 = 0 THEN 'deregistered' ELSE 'active' END, 'import'
    FROM generate_series(0, 19999) AS i`);
  await db.query(`ANALYZE`);
}

/**
 * The inspection sweep runs every 60 s on each replica. Against real PostgreSQL with the service's
 * migrations and ten years of rows: each of its statements finds its rows by an index, and answers as
 * before (ADR 0087).
 */
describe('the inspection sweep on ten years of tasks, checks and results', () => {
  let db: DataSource;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ dataSource: db, drop } = await migratedTestDatabase(await resolveInfra(), 'inspection_sweep', INSPECTION_MIGRATIONS));
    await seedTenYears(db);
  });

  afterAll(async () => {
    await drop?.();
  });

  /** Runs `work` on one session whose time zone is `zone`. */
  async function inZone<T>(zone: string, work: (query: (text: string, parameters?: unknown[]) => Promise<any>) => Promise<T>): Promise<T> {
    const runner = db.createQueryRunner();
    try {
      await runner.query(`SELECT set_config('TimeZone', $1, false)`, [zone]);
      return await work((text, parameters) => runner.query(text, parameters));
    } finally {
      await runner.query(`RESET TimeZone`);
      await runner.release();
    }
  }

  it('withdraws the results whose period has ended, found among those not yet withdrawn', async () => {
    const text = await queryPlan(db, WITHDRAW_RESULTS, [AT]);
    expect(text).toContain('inspection_result_withdrawal_due');
    expect(text).toContain('Index Scan using inspection_result_pkey');
    expect(text).not.toContain('Seq Scan on inspection_result');

    const due = await db.query(
      `SELECT id FROM inspection_result WHERE withdraw_at > $1::timestamptz - interval '1 day' AND withdraw_at <= $1::timestamptz ORDER BY id`,
      [AT],
    );
    expect(due.length).toBeGreaterThan(0);
    const [withdrawn] = await db.query(WITHDRAW_RESULTS, [AT]);
    expect(withdrawn.map((row: { id: string }) => row.id).sort()).toEqual(due.map((row: { id: string }) => row.id));
    expect(await db.query(WITHDRAW_RESULTS, [AT])).toEqual([[], 0]);
  });

  it('counts the figures of the year from its tasks, their checks and their results, each by index', async () => {
    const text = await queryPlan(db, INSPECTION_FIGURES, [2026, null, null]);
    expect(text).toContain('inspection_task_created');
    expect(text).toContain('inspection_check_task');
    expect(text).toContain('inspection_result_check_id_department_key');
    for (const table of ['inspection_task', 'inspection_check', 'inspection_result']) expect(text).not.toContain(`Seq Scan on ${table}`);

    // Tasks 2002–2032 were created in 2026: 930 checks, all done, each with its first department's result.
    const rows = await db.query(INSPECTION_FIGURES, [2026, null, null]);
    expect(rows).toEqual([
      expect.objectContaining({ year: 2026, planId: null, department: 'D1', drawn: 930, checked: 930, completedOnTime: 930, results: 930 }),
      expect.objectContaining({ year: 2026, planId: null, department: 'D2', drawn: 930, checked: 930, results: 0, problems: 0 }),
    ]);
  });

  it("counts the year's key coverage from the key entities, each probing its results of the year by index", async () => {
    const text = await queryPlan(db, KEY_COVERAGE, [2026]);
    expect(text).toContain('target_entity_key_active');
    expect(text).toMatch(
      /inspection_result_uscc_inspected on inspection_result r[^\n]*\n\s*Index Cond: \(\(uscc = t\.uscc\) AND \(inspected_at >= /,
    );
    expect(text).not.toContain('Seq Scan on target_entity');
    expect(text).not.toContain('Seq Scan on inspection_result');

    const [{ inspected }] = await db.query(
      `SELECT count(DISTINCT t.uscc)::int AS inspected FROM target_entity t JOIN inspection_result r ON r.uscc = t.uscc
       WHERE t.key_supervision AND t.status = 'active' AND r.inspected_at >= '2026-01-01T00:00:00Z' AND r.inspected_at < '2027-01-01T00:00:00Z'`,
    );
    expect(inspected).toBeGreaterThan(0);
    expect(await db.query(KEY_COVERAGE, [2026])).toEqual([{ keyEntities: 800, inspected }]);
  });

  it('answers as the statements with extract(year …) did, in the session time zone, for any year', async () => {
    for (const zone of ['UTC', 'Asia/Shanghai', 'America/New_York'])
      await inZone(zone, async (query) => {
        for (const year of [0, 2016, 2024, 2025, 2026]) {
          for (const filter of [
            [year, null, null],
            [year, null, 'D2'],
          ])
            expect([zone, filter, await query(INSPECTION_FIGURES, filter)]).toEqual([
              zone,
              filter,
              await query(FIGURES_BY_EXTRACT, filter),
            ]);
          expect([zone, year, await query(KEY_COVERAGE, [year])]).toEqual([zone, year, await query(KEY_COVERAGE_BY_EXTRACT, [year])]);
        }
      });
    expect(await db.query(INSPECTION_FIGURES, [2024, null, null])).toHaveLength(2);
    // The whole history too (the public figures without a year).
    expect(await db.query(INSPECTION_FIGURES, [null, null, 'D1'])).toEqual(await db.query(FIGURES_BY_EXTRACT, [null, null, 'D1']));
  });

  it("takes the year's bounds in the session time zone, to the microsecond, and year 0 as empty", async () => {
    for (const zone of ['UTC', 'Asia/Shanghai', 'America/New_York', 'Pacific/Chatham'])
      await inZone(zone, async (query) => {
        // Each midnight of 1 January in several zones, with the microsecond either side, and the ends of the calendar.
        await query(`
          CREATE TEMPORARY TABLE instant AS
          SELECT b + d AS at FROM generate_series(2023, 2027) AS y
            CROSS JOIN unnest(ARRAY['UTC', 'Asia/Shanghai', 'America/New_York', 'Pacific/Chatham']) AS z
            CROSS JOIN LATERAL (SELECT make_timestamptz(y, 1, 1, 0, 0, 0, z) AS b) AS m
            CROSS JOIN unnest(ARRAY[interval '-1 microsecond', interval '0', interval '1 microsecond']) AS d
          UNION ALL SELECT unnest(ARRAY[timestamptz '0001-01-01 00:00+00', '0001-12-31 23:59+00', '9999-12-31 23:59:59+00'])`);
        try {
          for (const year of [0, 1, 2023, 2024, 2025, 2026, 2027, 9999]) {
            const [range] = await query(`SELECT array_agg(at ORDER BY at) AS ats FROM instant WHERE ${yearRange('at', '$1::int')}`, [year]);
            const [extracted] = await query(`SELECT array_agg(at ORDER BY at) AS ats FROM instant WHERE extract(year FROM at)::int = $1`, [
              year,
            ]);
            expect([zone, year, range.ats]).toEqual([zone, year, extracted.ats]);
            if (year >= 2023 && year <= 2027) expect(range.ats?.length).toBeGreaterThan(0);
          }
        } finally {
          await query(`DROP TABLE instant`);
        }
      });
  });

  it('reminds and escalates only checks still to chase, found among those not yet reminded or escalated', async () => {
    const remind = await queryPlan(db, REMIND_CHECKS, [AT]);
    expect(remind).toContain('inspection_check_unreminded');
    const escalate = await queryPlan(db, ESCALATE_CHECKS, [AT]);
    expect(escalate).toContain('inspection_check_unescalated');
    for (const text of [remind, escalate]) {
      expect(text).not.toContain('inspection_check_open');
      expect(text).not.toContain('Seq Scan on inspection_check');
    }

    const missing = (n: number) => (n <= 25 ? ['D2'] : ['D1', 'D2']);
    const reminded: { id: string; missing: string[] }[] = await db.query(REMIND_CHECKS, [AT]);
    expect(reminded.map((row) => [row.id, row.missing]).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => [checkId(i + 1), missing(i + 1)]),
    );
    const escalated: { id: string; missing: string[] }[] = await db.query(ESCALATE_CHECKS, [AT]);
    expect(escalated.map((row) => [row.id, row.missing]).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => [checkId(i + 51), missing(i + 51)]),
    );
  });
});
