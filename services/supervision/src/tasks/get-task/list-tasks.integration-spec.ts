import { InProcessService } from '@backbone/testing';
import { loadSupervisionConfig } from '../../supervision.config';
import { SUPERVISION_SERVICE, SupervisionModule } from '../../supervision.module';

const OPS = 'PLATFORM-OPS';
const SAMR = '320700-SAMR';
const HEALTH = '320700-HEALTH';
const CLIENTS = {
  [OPS]: 'test-key-platform-operations-001',
  [SAMR]: 'test-key-market-regulator-320700',
  [HEALTH]: 'test-key-health-commission-32070',
};

interface Page {
  status: number;
  body: any;
  next: string | null;
  link: string | null;
}

/**
 * The work queue and the vacuum list past 500 rows, against real PostgreSQL: every row of a filter is
 * reached by following the cursor, in a stable order, none twice, whatever the page size; the filters
 * and the department scoping agree with the table itself.
 */
describe('GET /tasks and GET /unrouted-approvals: filters and cursor pagination', () => {
  let service: InProcessService;

  /** 1,300 tasks: SAMR supervises 800 (HEALTH approved 300 of them), HEALTH 500. Ten share each created_at (ties). */
  beforeAll(async () => {
    service = await InProcessService.start({
      service: SUPERVISION_SERVICE,
      loadConfig: loadSupervisionConfig,
      module: (config) => SupervisionModule.forRoot(config),
      clients: CLIENTS,
      env: { OPERATOR_DEPARTMENTS: OPS, DEADLINE_SWEEP_INTERVAL_MS: '0' },
    });
    await service.dataSource.query(`
      INSERT INTO supervision_task (id, approval_id, approval_version, correlation_id, uscc, item_code, region_code,
        approver_department, assigned_department, routing_rule, routing_basis, status, assigned_at, assigned_by,
        claim_deadline, claimed_at, claimed_handler, created_at)
      SELECT md5('task' || i)::uuid, md5('approval' || i)::uuid, 1, 'corr-' || i, '91320700MA1MXXK01L',
        CASE WHEN i % 3 = 0 THEN 'FOOD-001' ELSE 'DRUG-002' END,
        CASE WHEN i % 2 = 0 THEN '320703' ELSE '320706' END,
        CASE WHEN i <= 300 THEN '${HEALTH}' ELSE '${SAMR}' END,
        CASE WHEN i <= 800 THEN '${SAMR}' ELSE '${HEALTH}' END,
        'separated', 'separated', CASE WHEN i % 4 = 0 THEN 'claimed' ELSE 'assigned' END,
        now(), 'routing',
        now() + CASE WHEN i % 5 = 0 THEN interval '-1 day' ELSE interval '3 days' END,
        CASE WHEN i % 4 = 0 THEN now() END, CASE WHEN i % 4 = 0 THEN 'handler' END,
        timestamptz '2026-01-05 09:00:00.123456+08' + (i / 10) * interval '1.000001 second'
      FROM generate_series(1, 1300) AS i`);
    await service.dataSource.query(`
      INSERT INTO unrouted_approval (approval_id, correlation_id, uscc, item_code, region_code, approver_department, reason,
        routed_at, recorded_at)
      SELECT md5('unrouted' || i)::uuid, 'corr-u' || i, '91320700MA1MXXK01L', 'NEW-ITEM', '320703', '${SAMR}', 'no catalog entry',
        CASE WHEN i % 3 = 0 THEN now() END, timestamptz '2026-01-05 09:00:00.5+08' + (i / 7) * interval '1 millisecond'
      FROM generate_series(1, 1100) AS i`);
  });

  afterAll(async () => {
    await service?.stop();
  });

  async function get(department: string, path: string): Promise<Page> {
    const response = await fetch(`${service.url}${path}`, { headers: { 'x-api-key': CLIENTS[department as keyof typeof CLIENTS] } });
    return {
      status: response.status,
      body: await response.json(),
      next: response.headers.get('x-next-cursor'),
      link: response.headers.get('link'),
    };
  }

  /** Follows the cursor to the end: every row, and the size of each page. */
  async function all(department: string, path: string): Promise<{ rows: any[]; pages: number[] }> {
    const rows: any[] = [];
    const pages: number[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: Page = await get(department, cursor ? `${path}${separator}cursor=${cursor}` : path);
      expect(page.status).toBe(200);
      rows.push(...page.body);
      pages.push(page.body.length);
      cursor = page.next;
    } while (cursor);
    return { rows, pages };
  }

  const ids = async (sql: string, params: unknown[] = []) =>
    (await service.dataSource.query(sql, params)).map((row: { id: string }) => row.id);

  it('gives a department its whole queue past 500 rows, newest first, none twice (its own by default)', async () => {
    const { rows, pages } = await all(SAMR, '/tasks?department=320700-SAMR');
    expect(pages).toEqual([500, 300]);
    expect(rows.map((task) => task.id)).toEqual(
      await ids(`SELECT id FROM supervision_task WHERE assigned_department = $1 ORDER BY created_at DESC, id DESC`, [SAMR]),
    );
    // Without a department filter a department sees the tasks it supervises and the ones it approved.
    const own = await all(HEALTH, '/tasks');
    expect(own.rows).toHaveLength(800);
    expect(new Set(own.rows.map((task) => task.id)).size).toBe(800);
    expect(own.rows.every((task) => task.assignedDepartment === HEALTH || task.approverDepartment === HEALTH)).toBe(true);
  });

  it('filters by status, overdue, item and region, with any page size', async () => {
    const { rows, pages } = await all(
      OPS,
      '/tasks?department=320700-SAMR&status=assigned&overdue=true&itemCode=DRUG-002&regionCode=320703&limit=7',
    );
    const expected = await ids(
      `SELECT id FROM supervision_task WHERE assigned_department = $1 AND status = 'assigned' AND claim_deadline < now()
         AND item_code = 'DRUG-002' AND region_code = '320703' ORDER BY created_at DESC, id DESC`,
      [SAMR],
    );
    expect(expected.length).toBeGreaterThan(20);
    expect(rows.map((task) => task.id)).toEqual(expected);
    expect(pages.slice(0, -1).every((size) => size === 7)).toBe(true);
    const notOverdue = await all(OPS, '/tasks?approverDepartment=320700-HEALTH&overdue=false');
    expect(notOverdue.rows).toHaveLength(
      (
        await ids(
          `SELECT id FROM supervision_task WHERE approver_department = $1 AND NOT (status = 'assigned' AND claim_deadline < now())`,
          [HEALTH],
        )
      ).length,
    );
  });

  it('lets operators list every task and any department, and refuses another department’s queue to a department', async () => {
    expect((await all(OPS, '/tasks')).rows).toHaveLength(1300);
    expect((await all(OPS, '/tasks?department=320700-HEALTH')).rows).toHaveLength(500);
    const refused = await get(SAMR, '/tasks?department=320700-HEALTH');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'OWN_DEPARTMENT_ONLY' });
  });

  it('points to the next page with a query-only Link that works behind any path prefix', async () => {
    const first = await get(SAMR, '/tasks?department=320700-SAMR&limit=250');
    expect(first.link).toMatch(/^<\?.*cursor=.*>; rel="next"$/);
    const target = new URL(first.link!.slice(1, first.link!.indexOf('>')), `${service.url}/tasks?department=x`);
    const second = await get(SAMR, `${target.pathname}${target.search}`);
    expect(second.body[0].id).toBe((await get(SAMR, `/tasks?department=320700-SAMR&limit=250&cursor=${first.next}`)).body[0].id);
    expect(new Set([...first.body, ...second.body].map((task: { id: string }) => task.id)).size).toBe(500);
    const last = await get(
      SAMR,
      `/tasks?department=320700-SAMR&limit=300&cursor=${(await get(SAMR, '/tasks?department=320700-SAMR')).next}`,
    );
    expect(last.body).toHaveLength(300);
    expect(last.next).toBeNull();
    expect(last.link).toBeNull();
  });

  it.each([
    ['limit=501', 400, 'limit'],
    ['limit=0', 400, 'limit'],
    ['cursor=not/a/cursor', 400, 'cursor'],
    // well-formed, but not a cursor the server gave: 422 BAD_CURSOR
    ['cursor=not-a-cursor', 422, 'cursor'],
    [`cursor=${Buffer.from(JSON.stringify(['x'])).toString('base64url')}`, 422, 'cursor'],
    ['overdue=maybe', 400, 'overdue'],
    ['regionCode=32', 400, 'regionCode'],
  ])('refuses %s with %d naming %s', async (query, expected, field) => {
    const { status, body } = await get(OPS, `/tasks?${query}`);
    expect(status).toBe(expected);
    expect(JSON.stringify(body)).toContain(field);
  });

  it('lists the whole supervision vacuum past 500, oldest first; routed ones on request', async () => {
    const open = await all(OPS, '/unrouted-approvals');
    expect(open.pages).toEqual([500, 234]);
    expect(open.rows.map((row) => row.approvalId)).toEqual(
      (
        await service.dataSource.query(
          `SELECT approval_id FROM unrouted_approval WHERE routed_at IS NULL ORDER BY recorded_at, approval_id`,
        )
      ).map((row: { approval_id: string }) => row.approval_id),
    );
    const everything = await all(OPS, '/unrouted-approvals?includeRouted=true&limit=400');
    expect(everything.pages).toEqual([400, 400, 300]);
    expect(new Set(everything.rows.map((row) => row.approvalId)).size).toBe(1100);
  });
});
