import { DataSource } from 'typeorm';
import { encodeCursor } from '@backbone/platform';
import { migratedTestDatabase, queryPlan, resolveInfra } from '@backbone/testing';
import {
  CLOSED_BY_OUTCOME,
  COMPLAINTS,
  COMPLAINTS_WAITING,
  CREDIT_REQUESTS,
  LEGAL_REVIEWS,
  OPEN_CASES,
  PENALTIES_BY_KIND,
  PUBLISHED_DECISIONS,
} from './figures/get-enforcement-figures/get-enforcement-figures.service';
import { INSPECTED_ENTITIES, INSPECTION_TREND } from './figures/get-inspection-figures/get-inspection-figures.service';
import { CONSOLE_MIGRATIONS } from './migrations';
import { queueStatement } from './queue/list-queue/list-queue.http.controller';
import { ListQueueQuery } from './queue/list-queue/list-queue.request.dto';
import { ACTIVE_RISK_WARNINGS } from './queue/list-risk-warnings/list-risk-warnings.http.controller';
import { vacuumStatement } from './queue/list-vacuum/list-vacuum.http.controller';

/** The instant the rows are laid out back from (each table: a row every 10 minutes, about two years). */
const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const START = new Date(NOW.getTime() - 30 * DAY);
const ROWS = 100_000;
const DEPARTMENT = 'DEPT-3';

/** The id of row i, shared by a case and its legal review. */
const id = (i: string) => `('00000000-0000-4000-8000-' || lpad(${i}::text, 12, '0'))::uuid`;

/**
 * The console's figures and queues are read at every refresh of their page (every 10 s for each
 * operator who has it open). Against real PostgreSQL with the console's migrations and 100,000 rows in
 * each table (20,000 risk warnings): every statement finds its rows by an index, not by reading its
 * table, and one whose text changed answers what it answered before (ADR 0084).
 */
describe('the console figures and queues, found by index', () => {
  let db: DataSource;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ dataSource: db, drop } = await migratedTestDatabase(await resolveInfra(), 'console_plans', CONSOLE_MIGRATIONS));
    const at = (minutes: string) => `$1::timestamptz - (${minutes}) * interval '10 minutes'`;
    // Cases: four in five decided (a fine, or a warning); nine in ten closed two days after opening, but of
    // the latest 300 only every third.
    await db.query(
      `INSERT INTO enforcement_case (case_id, uscc, department, source, opened_at, decided_at, penalty_kinds, closed_at, outcome,
         decision_published_at, publish_deadline)
       SELECT ${id('i')}, 'U' || i, 'DEPT-' || (i % 10), (ARRAY['inspection', 'complaint', 'referral'])[1 + i % 3],
         ${at('i')} - interval '2 days',
         CASE WHEN i % 5 <> 0 THEN ${at('i')} - interval '1 day' END,
         CASE WHEN i % 5 IN (1, 2) THEN ARRAY['fine'] WHEN i % 5 IN (3, 4) THEN ARRAY['warning'] ELSE '{}' END,
         CASE WHEN i % 10 < 9 AND (i > 300 OR i % 3 = 0) THEN ${at('i')} END,
         CASE WHEN i % 10 < 9 AND (i > 300 OR i % 3 = 0) THEN 'penalised' END,
         CASE WHEN i % 5 <> 0 AND i % 7 <> 0 THEN ${at('i')} - interval '1 day' + interval '1 hour' END,
         CASE WHEN i % 5 <> 0 THEN ${at('i')} + interval '6 days' END
       FROM generate_series(1, ${ROWS}) AS i`,
      [NOW],
    );
    // A legal review per case, answered two days after the request but for the latest 200 (the answers of
    // the 88 before them fall after NOW).
    await db.query(
      `INSERT INTO legal_review_fact (review_id, case_id, department, action, requested_at, reviewer_department, outcome, reviewed_at)
       SELECT gen_random_uuid(), ${id('i')}, 'DEPT-' || (i % 10), 'penalty', ${at('i')},
         CASE WHEN i > 200 THEN 'LEGAL' END, CASE WHEN i > 200 THEN (ARRAY['approved', 'rejected'])[1 + i % 2] END,
         CASE WHEN i > 200 THEN ${at('i')} + interval '2 days' END
       FROM generate_series(1, ${ROWS}) AS i`,
      [NOW],
    );
    // Complaints: answered in three days (one in thirteen in nine: late), but for the latest 300; one in
    // twenty escalated on its eighth day.
    await db.query(
      `INSERT INTO complaint_fact (complaint_id, uscc, department, kind, channel, registered_at, answer_deadline, answered_at, escalated_at)
       SELECT gen_random_uuid(), 'U' || i, 'DEPT-' || (i % 10), 'complaint', '12315', ${at('i')}, ${at('i')} + interval '7 days',
         CASE WHEN i > 300 THEN ${at('i')} + CASE WHEN i % 13 = 0 THEN interval '9 days' ELSE interval '3 days' END END,
         CASE WHEN i % 20 = 0 THEN ${at('i')} + interval '8 days' END
       FROM generate_series(1, ${ROWS}) AS i`,
      [NOW],
    );
    // Credit repairs and objections, answered in five days but for the latest 200.
    await db.query(
      `INSERT INTO credit_request (request_id, kind, uscc, department, filed_at, outcome, answered_by, answered_at)
       SELECT gen_random_uuid(), (ARRAY['repair', 'objection'])[1 + i % 2], 'U' || i, 'DEPT-' || (i % 10), ${at('i')},
         CASE WHEN i > 200 THEN 'granted' END, CASE WHEN i > 200 THEN 'CREDIT' END, CASE WHEN i > 200 THEN ${at('i')} + interval '5 days' END
       FROM generate_series(1, ${ROWS}) AS i`,
      [NOW],
    );
    // Random inspection: 1,000 tasks (one every 7 hours), 100 results each, two strata.
    await db.query(
      `INSERT INTO inspection_task_fact (task_id, reference, title, lead_department, departments, round, drawn_at, check_deadline,
         register_entities, register_key_entities)
       SELECT ${id('t')}, 'T' || t, 'task', 'DEPT-' || (t % 10), ARRAY['DEPT-' || (t % 10)], 1, ${at('t * 42')}, ${at('t * 42')} + interval '20 days',
         50000, 5000
       FROM generate_series(1, ${ROWS / 100}) AS t`,
      [NOW],
    );
    await db.query(
      `INSERT INTO inspection_task_stratum (task_id, stratum, pool, drawn) SELECT task_id, s, 1000, 50 FROM inspection_task_fact, unnest(ARRAY['K', 'G']) AS s`,
    );
    await db.query(
      `INSERT INTO inspection_result_fact (result_id, check_id, task_id, uscc, department, stratum, category, inspected_at, recorded_at,
         publish_by, check_deadline, check_completed_at, published_at)
       SELECT gen_random_uuid(), gen_random_uuid(), ${id('t')}, 'U' || i, 'DEPT-' || (t % 10), (ARRAY['K', 'G'])[1 + i % 2],
         (ARRAY['no_problem', 'problem'])[1 + i % 2], ${at('t * 42')} + interval '5 days', ${at('t * 42')} + interval '5 days',
         ${at('t * 42')} + interval '25 days', ${at('t * 42')} + interval '20 days',
         CASE WHEN i % 100 < 98 THEN ${at('t * 42')} + interval '6 days' END,
         CASE WHEN t > 3 THEN ${at('t * 42')} + interval '8 days' END
       FROM generate_series(0, ${ROWS - 1}) AS i, LATERAL (SELECT 1 + i / 100 AS t) AS task`,
      [NOW],
    );
    // Approvals, and a task pushed for each: the latest 400 unclaimed, one in 25 returned and one in 25 closed,
    // the rest claimed (a task stays claimed); one in eight escalated; one in 50 moved on to another push.
    await db.query(
      `INSERT INTO approval_fact (approval_id, correlation_id, uscc, entity_name, item_code, region_code, approver_department, kind, outcome,
         decided_at, version)
       SELECT ${id('i')}, 'c' || i, 'U' || i, '测试', 'ITEM-' || (i % 40), '320703', 'DEPT-' || (i % 10), 'licence', 'granted', ${at('i')}, 1
       FROM generate_series(1, ${ROWS}) AS i`,
      [NOW],
    );
    // The per-day figures' trigger is not what these statements read: off while loading, for speed.
    await db.query(`ALTER TABLE task_assignment DISABLE TRIGGER task_assignment_duty`);
    await db.query(
      `INSERT INTO task_assignment (task_id, seq, approval_id, uscc, item_code, department, routing_rule, assigned_at, claim_deadline, status,
         claimed_at, claim_handler, escalated_at, current, region_code)
       SELECT gen_random_uuid(), 1, ${id('i')}, 'U' || i, 'ITEM-' || (i % 40), 'DEPT-' || (i % 10), 'catalog', ${at('i')},
         ${at('i')} + interval '5 days',
         CASE WHEN i % 50 = 7 THEN 'moved' WHEN i <= 400 THEN 'assigned' WHEN i % 25 = 0 THEN 'returned' WHEN i % 25 = 1 THEN 'closed'
           ELSE 'claimed' END,
         CASE WHEN i > 400 AND i % 25 > 1 THEN ${at('i')} + interval '1 day' END, CASE WHEN i > 400 AND i % 25 > 1 THEN '王芳' END,
         CASE WHEN i % 8 = 3 THEN ${at('i')} + interval '6 days' END, i % 50 <> 7, '320703'
       FROM generate_series(1, ${ROWS}) AS i`,
      [NOW],
    );
    await db.query(`ALTER TABLE task_assignment ENABLE TRIGGER task_assignment_duty`);
    // The supervision vacuum: every approval once, all but the latest 3,000 routed since.
    await db.query(
      `INSERT INTO vacuum_approval (approval_id, uscc, item_code, region_code, reason, unrouted_at, routed_at, routed_department,
         approver_department)
       SELECT ${id('i')}, 'U' || i, 'ITEM-' || (i % 40), '320703', 'no catalog entry', ${at('i')},
         CASE WHEN i > 3000 THEN ${at('i')} + interval '3 days' END, CASE WHEN i > 3000 THEN 'DEPT-1' END, 'DEPT-' || (i % 10)
       FROM generate_series(1, ${ROWS}) AS i`,
      [NOW],
    );
    // Risk warnings: one raised every hour for 20,000 hours, each for 30 days, one in three lifted early.
    await db.query(
      `INSERT INTO risk_warning_notice (warning_id, reference, level, title, raised_by, departments, scope, concerns, measures, starts_at,
         ends_at, ended_at)
       SELECT gen_random_uuid(), 'W' || i, (ARRAY['red', 'orange', 'yellow', 'blue'])[1 + i % 4], '预警', 'DEPT-0', ARRAY['DEPT-' || (i % 10)],
         '{}', '[]', '[]', $1::timestamptz - i * interval '1 hour', $1::timestamptz - i * interval '1 hour' + interval '30 days',
         CASE WHEN i % 3 = 0 THEN $1::timestamptz - i * interval '1 hour' + interval '10 days' END
       FROM generate_series(1, ${ROWS / 5}) AS i`,
      [NOW],
    );
    await db.query(`ANALYZE`);
  });

  afterAll(async () => {
    await drop?.();
  });

  /** The plan of a statement with these parameters: it names every index and reads none of the tables whole. */
  async function expectByIndex(statement: string, params: unknown[], indexes: string[], tables: string[]) {
    const plan = await queryPlan(db, statement, params);
    for (const index of indexes) expect(plan).toContain(index);
    for (const table of tables) expect(plan).not.toContain(`Seq Scan on ${table}`);
  }

  const departments = [null, DEPARTMENT];

  it.each(departments)('enforcement cases closed, decided and open (department %s): by their indexes', async (own) => {
    await expectByIndex(CLOSED_BY_OUTCOME, [START, NOW, own], ['enforcement_case_closed'], ['enforcement_case']);
    await expectByIndex(PENALTIES_BY_KIND, [START, NOW, own], ['enforcement_case_decided'], ['enforcement_case']);
    await expectByIndex(PUBLISHED_DECISIONS, [START, NOW, own], ['enforcement_case_decided'], ['enforcement_case']);
    await expectByIndex(OPEN_CASES, [own], ['enforcement_case_closed'], ['enforcement_case']);
  });

  it.each(departments)('legal reviews, complaints and credit requests (department %s): by their indexes', async (own) => {
    await expectByIndex(
      LEGAL_REVIEWS,
      [START, NOW, NOW, own],
      ['legal_review_fact_requested', 'legal_review_fact_reviewed', 'enforcement_case_pkey'],
      ['legal_review_fact', 'enforcement_case'],
    );
    await expectByIndex(
      COMPLAINTS,
      [START, NOW, own],
      ['complaint_fact_registered', 'complaint_fact_answered', 'complaint_fact_escalated'],
      ['complaint_fact'],
    );
    await expectByIndex(COMPLAINTS_WAITING, [NOW, own], ['complaint_fact_answered'], ['complaint_fact']);
    await expectByIndex(CREDIT_REQUESTS, [START, NOW, NOW, own], ['credit_request_filed', 'credit_request_answered'], ['credit_request']);
  });

  it.each(departments)('random-inspection coverage and trend (department %s): by their indexes', async (own) => {
    await expectByIndex(INSPECTED_ENTITIES, [START, NOW, own], ['inspection_result_fact_inspected'], ['inspection_result_fact']);
    // The tasks' own table (a row per drawn task: 1,000 here against 100,000 results) may be read whole to
    // hash a department's tasks, whose checks completed in the period are counted (ADR 0084).
    await expectByIndex(
      INSPECTION_TREND,
      [START, NOW, own],
      [
        'inspection_task_fact_drawn',
        'inspection_result_fact_check_completed',
        'inspection_result_fact_recorded',
        'inspection_result_fact_published',
      ],
      ['inspection_result_fact'],
    );
    // Joined, not a subquery costed as run once per check.
    expect(await queryPlan(db, INSPECTION_TREND, [START, NOW, own])).not.toContain('SubPlan');
  });

  // The statements whose text changed, as they were (ADR 0084): the first three read every row of their table.
  const REPLACED = {
    legalReviews: `SELECT count(*) FILTER (WHERE r.requested_at >= $1 AND r.requested_at < $2)::int AS requested,
        count(*) FILTER (WHERE r.reviewed_at >= $1 AND r.reviewed_at < $2 AND r.outcome = 'approved')::int AS approved,
        count(*) FILTER (WHERE r.reviewed_at >= $1 AND r.reviewed_at < $2 AND r.outcome = 'rejected')::int AS rejected,
        count(*) FILTER (WHERE r.requested_at <= $3 AND (r.reviewed_at IS NULL OR r.reviewed_at > $3)
          AND NOT EXISTS (SELECT 1 FROM enforcement_case c WHERE c.case_id = r.case_id AND c.closed_at <= $3))::int AS "pendingNow"
      FROM legal_review_fact r WHERE ($4::text IS NULL OR r.department = $4)`,
    complaints: `SELECT count(*) FILTER (WHERE registered_at >= $1 AND registered_at < $2)::int AS registered,
        count(*) FILTER (WHERE answered_at >= $1 AND answered_at < $2)::int AS answered,
        count(*) FILTER (WHERE answered_at >= $1 AND answered_at < $2 AND answered_at > answer_deadline)::int AS "answeredLate",
        count(*) FILTER (WHERE escalated_at >= $1 AND escalated_at < $2)::int AS escalated
      FROM complaint_fact WHERE ($3::text IS NULL OR department = $3)`,
    creditRequests: `SELECT kind, count(*) FILTER (WHERE filed_at >= $1 AND filed_at < $2)::int AS filed,
        count(*) FILTER (WHERE answered_at >= $1 AND answered_at < $2)::int AS answered,
        count(*) FILTER (WHERE filed_at <= $3 AND (answered_at IS NULL OR answered_at > $3))::int AS "pendingNow"
      FROM credit_request WHERE ($4::text IS NULL OR department = $4) GROUP BY kind`,
    inspectionTrend: `SELECT day, sum(drawn)::int AS drawn, sum(done)::int AS "checksDone", sum(recorded)::int AS results,
        sum(published)::int AS published
      FROM (
        SELECT (t.drawn_at AT TIME ZONE 'Asia/Shanghai')::date::text AS day, s.drawn, 0 AS done, 0 AS recorded, 0 AS published
          FROM inspection_task_fact t JOIN inspection_task_stratum s ON s.task_id = t.task_id
          WHERE t.drawn_at >= $1 AND t.drawn_at < $2 AND ($3::text IS NULL OR $3 = ANY (t.departments))
        UNION ALL
        SELECT (r.check_completed_at AT TIME ZONE 'Asia/Shanghai')::date::text, 0, 1, 0, 0 FROM inspection_result_fact r
          WHERE r.check_completed_at >= $1 AND r.check_completed_at < $2
            AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM inspection_task_fact t WHERE t.task_id = r.task_id AND $3 = ANY (t.departments)))
        UNION ALL
        SELECT (r.recorded_at AT TIME ZONE 'Asia/Shanghai')::date::text, 0, 0, 1, 0 FROM inspection_result_fact r
          WHERE r.recorded_at >= $1 AND r.recorded_at < $2 AND ($3::text IS NULL OR r.department = $3)
        UNION ALL
        SELECT (r.published_at AT TIME ZONE 'Asia/Shanghai')::date::text, 0, 0, 0, 1 FROM inspection_result_fact r
          WHERE r.published_at >= $1 AND r.published_at < $2 AND ($3::text IS NULL OR r.department = $3)
      ) x GROUP BY 1`,
  };

  /** Per kind, a kind without rows as zeros (what the service answers for it). */
  const byKind = (rows: Array<{ kind: string; filed: number; answered: number; pendingNow: number }>) =>
    Object.fromEntries(
      ['repair', 'objection'].map((kind) => {
        const row = rows.find((each) => each.kind === kind);
        return [kind, { filed: row?.filed ?? 0, answered: row?.answered ?? 0, pendingNow: row?.pendingNow ?? 0 }];
      }),
    );

  // Now; in the period; a year back, when most of today's rows did not exist; and a period with nothing in it.
  const cases: Array<[string, Date, Date, Date]> = [
    ['the last 30 days, judged now', START, NOW, NOW],
    ['the last 30 days, judged 36 hours ago', START, NOW, new Date(NOW.getTime() - 1.5 * DAY)],
    [
      'a month a year ago, judged at its end',
      new Date(NOW.getTime() - 395 * DAY),
      new Date(NOW.getTime() - 365 * DAY),
      new Date(NOW.getTime() - 365 * DAY),
    ],
    ['a month before the first row', new Date(NOW.getTime() - 1000 * DAY), new Date(NOW.getTime() - 970 * DAY), NOW],
  ];

  const byDay = (rows: Array<{ day: string }>) => [...rows].sort((a, b) => a.day.localeCompare(b.day));

  it.each(cases)(
    'legal reviews, complaints, credit requests and the inspection trend answer as before: %s',
    async (_name, start, end, asOf) => {
      for (const own of departments) {
        const reviews = await db.query(LEGAL_REVIEWS, [start, end, asOf, own]);
        expect(reviews).toEqual(await db.query(REPLACED.legalReviews, [start, end, asOf, own]));
        const complaints = await db.query(COMPLAINTS, [start, end, own]);
        expect(complaints).toEqual(await db.query(REPLACED.complaints, [start, end, own]));
        const requests = byKind(await db.query(CREDIT_REQUESTS, [start, end, asOf, own]));
        expect(requests).toEqual(byKind(await db.query(REPLACED.creditRequests, [start, end, asOf, own])));
        const trend = byDay(await db.query(INSPECTION_TREND, [start, end, own]));
        expect(trend).toEqual(byDay(await db.query(REPLACED.inspectionTrend, [start, end, own])));
      }
    },
  );

  it('counts something in every figure compared (the comparison means something)', async () => {
    const [reviews] = await db.query(LEGAL_REVIEWS, [START, NOW, NOW, null]);
    // Pending now: the 287 not answered by NOW, less the 85 whose case is closed (every third, but not those ending in 9).
    expect(reviews).toEqual({ requested: 4320, approved: 2160, rejected: 2160, pendingNow: 202 });
    const [complaints] = await db.query(COMPLAINTS, [START, NOW, null]);
    expect(Object.values(complaints).every((count) => (count as number) > 0)).toBe(true);
    const requests = byKind(await db.query(CREDIT_REQUESTS, [START, NOW, NOW, null]));
    expect(Object.values(requests).every(({ filed, answered, pendingNow }) => filed > 0 && answered > 0 && pendingNow > 0)).toBe(true);
    const trend = await db.query(INSPECTION_TREND, [START, NOW, DEPARTMENT]);
    expect(trend.filter((day: { checksDone: number }) => day.checksDone > 0).length).toBeGreaterThan(1);
  });

  const queue = (department: string | null, query: ListQueueQuery) => queueStatement(department ?? undefined, query, NOW);
  const after = (deadline: Date) => encodeCursor([deadline.toISOString(), '00000000-0000-4000-8000-000000000000']);
  const lastMonth = new Date(NOW.getTime() - 30 * DAY);

  it.each(departments)('the claimed and escalated queues (department %s): the first rows of their index, in order', async (own) => {
    const [claimed, escalated] = own
      ? ['task_assignment_claimed_department', 'task_assignment_escalated_department']
      : ['task_assignment_claimed', 'task_assignment_escalated'];
    for (const [query, index] of [
      [{ status: 'claimed' }, claimed],
      [{ status: 'claimed', cursor: after(lastMonth) }, claimed],
      [{ escalated: true }, escalated],
      [{ escalated: true, cursor: after(lastMonth) }, escalated],
    ] as const) {
      const { text, params } = queue(own, query);
      await expectByIndex(text, params, [index], ['task_assignment']);
      // In the index's order: no sort of what it found.
      expect(await queryPlan(db, text, params)).not.toContain('Sort');
    }
  });

  it.each(departments)('the unclaimed and overdue queues (department %s): by the index of open assignments', async (own) => {
    for (const query of [{ status: 'assigned' }, { overdue: true }] as const) {
      const { text, params } = queue(own, query);
      await expectByIndex(text, params, ['task_assignment_open'], ['task_assignment']);
    }
  });

  it('pages a department through its claimed tasks by claim deadline, as sorting them all says', async () => {
    const sorted = await db.query(
      `SELECT task_id AS "taskId" FROM task_assignment WHERE current AND status = 'claimed' AND department = $1
       ORDER BY claim_deadline, task_id LIMIT 100`,
      [DEPARTMENT],
    );
    const page = (cursor?: string) => {
      const { text, params } = queue(DEPARTMENT, { status: 'claimed', limit: 50, cursor });
      return db.query(text, params);
    };
    const first = await page();
    const last = first[49];
    const second = await page(encodeCursor([new Date(last.claimDeadline).toISOString(), last.taskId]));
    expect([...first.slice(0, 50), ...second.slice(0, 50)].map((row: { taskId: string }) => row.taskId)).toEqual(
      sorted.map((row: { taskId: string }) => row.taskId),
    );
    expect(first.every((row: { department: string; status: string }) => row.department === DEPARTMENT && row.status === 'claimed')).toBe(
      true,
    );
  });

  it.each(departments)('the supervision vacuum not routed yet (department %s): by the index of those waiting', async (own) => {
    const { text, params } = vacuumStatement(own ?? undefined, { limit: 500, includeRouted: false });
    await expectByIndex(text, params, ['vacuum_approval_waiting'], ['vacuum_approval', 'approval_fact']);
    const rows = await db.query(text, params);
    expect(rows).toHaveLength(own ? 300 : 501);
    // The department as the approval says it, which the list filtered by before.
    expect(rows).toEqual(await db.query(text.replace('v.approver_department = $1', 'f.approver_department = $1'), params));
  });

  it.each(departments)('the active risk warnings (department %s): among those not lifted and not yet ended', async (own) => {
    await expectByIndex(ACTIVE_RISK_WARNINGS, [NOW, own], ['risk_warning_notice_unlifted'], ['risk_warning_notice']);
    // Raised less than 30 days (720 hours) ago and not lifted: 480 (a page is 200), 48 of them to the department.
    const warnings = await db.query(ACTIVE_RISK_WARNINGS, [NOW, own]);
    expect(warnings).toHaveLength(own ? 48 : 200);
  });
});
