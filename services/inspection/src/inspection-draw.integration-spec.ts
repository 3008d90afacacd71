import {
  CreditStatusChangedV1,
  InspectionCheckOverdueV1,
  InspectionPlanPublishedV1,
  InspectionRecordedV2,
  InspectionResultPublishedV1,
  InspectionResultRecordedV1,
  InspectionTaskDrawnV1,
} from '@backbone/contracts';
import { InProcessService, testUscc, waitFor, KEEP_PUBLISHED } from '@backbone/testing';
import { poolHash, seedCommitment } from './draws/canonical-pool';
import { loadInspectionConfig } from './inspection.config';
import { INSPECTION_SERVICE, InspectionModule } from './inspection.module';
import { verifyDraw } from './verifier/verify-draw';

const SAMR = '320700-SAMR';
const HEALTH = '320700-HEALTH';
const HOUSING = '320700-HOUSING';
const KEYS = {
  [SAMR]: 'test-key-market-regulator-320700',
  [HEALTH]: 'test-key-health-commission-32070',
  [HOUSING]: 'test-key-housing-construction-3207',
  'PLATFORM-OPS': 'test-key-platform-operations-001',
};

/** Plans, joint tasks, the frozen pool, the draw and its verification, in process on real PostgreSQL and Kafka. */
describe('inspection: plan → joint task → frozen pool → draw → verified (real Kafka and PostgreSQL)', () => {
  let service: InProcessService;
  const seed = 'lyg-2026-joint-seed-0001';
  const call = (department: string | null, method: string, path: string, body?: unknown) => service.call(department, method, path, body);
  /** The events of one type in the outbox, in order: their key and payload. */
  const outboxOf = async (type: string): Promise<{ key: string; data: Record<string, unknown> }[]> =>
    (await service.dataSource.query(`SELECT message_key, value FROM outbox WHERE event_type = $1 ORDER BY id`, [type])).map(
      (row: { message_key: string; value: Buffer }) => ({ key: row.message_key, data: JSON.parse(row.value.toString()).data }),
    );

  beforeAll(async () => {
    service = await InProcessService.start({
      service: INSPECTION_SERVICE,
      loadConfig: loadInspectionConfig,
      module: (config) => InspectionModule.forRoot(config),
      clients: KEYS,
      env: { POOL_KEEPER_DEPARTMENTS: SAMR, INSPECTION_SWEEP_INTERVAL_MS: '0', ...KEEP_PUBLISHED },
    });
    const item = (kind: string, maxRatioBp: number) => ({
      name: '抽查事项',
      legalBasis: '《市场主体登记管理条例》',
      inspectingDepartments: [SAMR],
      objectScope: { regionPrefixes: ['3207'] },
      method: 'on_site',
      kind,
      minRatioBp: 0,
      maxRatioBp,
      frequencyPerYear: 1,
    });
    expect((await call(SAMR, 'PUT', '/items/SAMR-GENERAL', item('general', 2_000))).status).toBe(200);
    expect((await call(HEALTH, 'PUT', '/items/HEALTH-KEY', item('key', 10_000))).status).toBe(200);
    for (const [department, count] of [
      [SAMR, 4],
      [HEALTH, 3],
    ] as const) {
      for (let i = 0; i < count; i++) {
        const certificateNumber = `${department.slice(-4)}-${i}`;
        expect(
          (await call(department, 'POST', '/inspectors', { name: `检查员${i}`, certificateNumber, regionCode: '320700' })).status,
        ).toBe(201);
      }
    }
    const rows = Array.from({ length: 400 }, (_, i) => ({
      uscc: testUscc(9_000_000 + i),
      name: `企业${i}`,
      creditTier: ['A', 'B', 'C', 'D'][i % 4],
      keySupervision: i % 40 === 0,
    }));
    const response = await fetch(`${service.url}/targets/imports`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'x-api-key': KEYS[SAMR] },
      body: rows.map((row) => JSON.stringify(row)).join('\n'),
    });
    expect(response.status).toBe(201);
  });

  afterAll(async () => {
    await service?.stop();
  });

  let planId: string;
  let taskId: string;

  it('publishes an annual plan; a duplicate plan is refused', async () => {
    const plan = await call(SAMR, 'POST', '/plans', { year: 2026, title: '2026年度双随机抽查计划', description: '全市' });
    expect(plan).toMatchObject({ status: 201, body: { status: 'draft' } });
    planId = plan.body.id;
    expect(await call(SAMR, 'POST', '/plans', { year: 2026, title: '2026年度双随机抽查计划', description: 'x' })).toMatchObject({
      status: 409,
      body: { code: 'DUPLICATE_PLAN' },
    });
    expect((await call(null, 'GET', '/public/plans')).body.plans).toEqual([]);
    expect(await call(SAMR, 'POST', `/plans/${planId}/publish`)).toMatchObject({ status: 200, body: { status: 'published' } });
    expect((await call(null, 'GET', '/public/plans?year=2026')).body.plans).toEqual([expect.objectContaining({ id: planId })]);
    // announced once for the duty figures, keyed by the plan; publishing again announces nothing
    expect((await call(SAMR, 'POST', `/plans/${planId}/publish`)).status).toBe(200);
    expect(await outboxOf(InspectionPlanPublishedV1.type)).toEqual([
      { key: `inspection-plan:${planId}`, data: expect.objectContaining({ planId, department: SAMR, year: 2026 }) },
    ]);
  });

  it('creates a joint task; bad input is refused with a named problem and writes nothing', async () => {
    const request = {
      reference: 'LYG-2026-001',
      planId,
      title: '2026年联合抽查',
      itemCodes: ['SAMR-GENERAL'],
      participants: [{ department: HEALTH, itemCodes: ['HEALTH-KEY'] }],
    };
    const sql = await service.sql();
    const count = async () => (await sql.query(`SELECT count(*)::int AS n FROM inspection_task`)).rows[0].n;
    expect(await call(SAMR, 'POST', '/tasks', { ...request, itemCodes: ['NO-SUCH-ITEM'] })).toMatchObject({
      status: 422,
      body: { code: 'UNKNOWN_ITEM', detail: expect.stringContaining('NO-SUCH-ITEM') },
    });
    expect(
      await call(SAMR, 'POST', '/tasks', { ...request, participants: [{ department: SAMR, itemCodes: ['SAMR-GENERAL'] }] }),
    ).toMatchObject({
      status: 422,
      body: { code: 'UNKNOWN_ITEM', detail: expect.stringContaining('twice') },
    });
    expect(await call(HEALTH, 'POST', '/tasks', { ...request, itemCodes: ['HEALTH-KEY'], participants: [] })).toMatchObject({
      status: 403,
      body: { code: 'NOT_OWNER_DEPARTMENT' },
    });
    expect(await count()).toBe(0);

    const task = await call(SAMR, 'POST', '/tasks', request);
    expect(task).toMatchObject({ status: 201, body: { status: 'created', joint: true, kind: 'planned', leadDepartment: SAMR } });
    expect(task.body.teams).toEqual([
      { department: SAMR, itemCodes: ['SAMR-GENERAL'], inspectorsPerEntity: 2 },
      { department: HEALTH, itemCodes: ['HEALTH-KEY'], inspectorsPerEntity: 1 },
    ]);
    taskId = task.body.id;
    expect(await call(SAMR, 'POST', '/tasks', request)).toMatchObject({ status: 409, body: { code: 'DUPLICATE_TASK' } });
    expect(await count()).toBe(1);
  });

  it('refuses a draw on a pool that is not frozen, and a public announcement before the freeze', async () => {
    expect(await call(SAMR, 'POST', `/tasks/${taskId}/draws`, { seed })).toMatchObject({ status: 409, body: { code: 'POOL_NOT_FROZEN' } });
    expect((await call(null, 'GET', `/public/tasks/${taskId}`)).status).toBe(404);
    const sql = await service.sql();
    expect((await sql.query(`SELECT count(*)::int AS n FROM inspection_check`)).rows[0].n).toBe(0);
  });

  it('freezes the pool with the credit tier the credit service published, and announces the hash and commitment', async () => {
    const moved = testUscc(9_000_001); // imported as B
    await service.publish(
      CreditStatusChangedV1,
      {
        uscc: moved,
        tier: 'D',
        lists: ['serious_dishonesty'],
        measures: ['higher_inspection_ratio'],
        facts: [],
        effectiveAt: new Date().toISOString(),
      },
      moved,
    );
    await waitFor('the new tier in the pool', async () => (await call(SAMR, 'GET', `/targets/${moved}`)).body.creditTier === 'D');

    expect(await call(SAMR, 'POST', `/tasks/${taskId}/freeze`, { seedCommitment: 'not-a-hash' })).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ field: 'seedCommitment' })] },
    });
    const frozen = await call(SAMR, 'POST', `/tasks/${taskId}/freeze`, { seedCommitment: seedCommitment(seed) });
    expect(frozen).toMatchObject({ status: 200, body: { status: 'pool_frozen', poolSize: 400 } });
    // a key item in the task: no cap, the base ratios stand
    expect(frozen.body.ratiosBp).toEqual({ A: 200, B: 500, C: 1_000, D: 3_000, K: 5_000 });

    const announcement = await call(null, 'GET', `/public/tasks/${taskId}`);
    expect(announcement.body).toMatchObject({
      poolHash: frozen.body.poolHash,
      draws: [{ round: 1, seed: null, seedCommitment: seedCommitment(seed) }],
    });
    const pool = await (await fetch(`${service.url}/public/tasks/${taskId}/pool`)).text();
    expect(pool.split('\n')).toContain(`${moved}\tD`);
    // PostgreSQL builds and hashes the text (ADR 0124): the published hash is SHA-256 of the text served.
    expect(frozen.body.poolHash).toBe(poolHash(pool));
    expect(await call(SAMR, 'POST', `/tasks/${taskId}/freeze`, { seedCommitment: seedCommitment(seed) })).toMatchObject({
      status: 409,
      body: { code: 'ILLEGAL_TASK_TRANSITION' },
    });
  });

  it('refuses a seed that does not match the commitment, then draws, and the verifier reproduces the list from public data', async () => {
    expect(await call(SAMR, 'POST', `/tasks/${taskId}/draws`, { seed: 'another-seed-of-16-chars' })).toMatchObject({
      status: 422,
      body: { code: 'SEED_MISMATCH' },
    });
    const drawn = await call(SAMR, 'POST', `/tasks/${taskId}/draws`, { seed });
    expect(drawn.status).toBe(200);
    expect(drawn.body.strata.map((s: any) => [s.stratum, s.poolSize, s.drawn])).toEqual([
      ['A', 90, 2],
      ['B', 99, 5], // one B entity moved to D by the credit event
      ['C', 100, 10],
      ['D', 101, 31],
      ['K', 10, 5],
    ]);
    for (const target of drawn.body.targets) {
      expect(target.inspectors.map((team: any) => [team.department, team.inspectorIds.length])).toEqual([
        [SAMR, 2],
        [HEALTH, 1],
      ]);
    }
    const checks = await call(SAMR, 'GET', `/tasks/${taskId}/checks`);
    expect(checks.body.checks).toHaveLength(53);

    const report = await verifyDraw(service.url, taskId);
    expect(report.lines.filter((line) => line.startsWith('MISMATCH'))).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.list.split('\n').filter(Boolean)).toHaveLength(53);
    const announcement = await call(null, 'GET', `/public/tasks/${taskId}`);
    expect(announcement.body.draws[0]).toMatchObject({ seed, digest: drawn.body.digest });
    expect(announcement.body.drawnList).toHaveLength(53);
  });

  it('a second draw needs a reason; both rounds stay visible and both verify', async () => {
    expect(await call(SAMR, 'POST', `/tasks/${taskId}/redraws`, { seedCommitment: seedCommitment('x') })).toMatchObject({ status: 400 });
    const seed2 = 'lyg-2026-joint-seed-0002';
    expect(
      await call(SAMR, 'POST', `/tasks/${taskId}/redraws`, {
        reason: '名录库导入批次有误，重新抽取',
        seedCommitment: seedCommitment(seed2),
      }),
    ).toMatchObject({ status: 200, body: { round: 2 } });
    expect((await call(SAMR, 'POST', `/tasks/${taskId}/draws`, { seed: seed2 })).status).toBe(200);
    const task = await call(SAMR, 'GET', `/tasks/${taskId}`);
    expect(task.body.draws.map((d: any) => [d.round, d.reason])).toEqual([
      [1, null],
      [2, '名录库导入批次有误，重新抽取'],
    ]);
    expect(task.body.checks).toEqual({ pending: 53, superseded: 53 });
    // each round announced for the duty figures, keyed by the task: pool and list per stratum, the register's size
    const drawn = await outboxOf(InspectionTaskDrawnV1.type);
    expect(drawn.map((event) => [event.key, event.data.round])).toEqual([
      [`inspection-task:${taskId}`, 1],
      [`inspection-task:${taskId}`, 2],
    ]);
    const counts = drawn[1].data as { drawnByStratum: Record<string, number>; poolByStratum: Record<string, number> };
    expect(Object.values(counts.drawnByStratum).reduce((a, b) => a + b, 0)).toBe(53);
    expect(drawn[1].data).toMatchObject({ departments: [SAMR, HEALTH], planId, registerKeyEntities: 10 });
    const report = await verifyDraw(service.url, taskId);
    expect(report.ok).toBe(true);
  });

  it('refuses the whole draw with 409 naming the shortfall when too few inspectors are left', async () => {
    const item = {
      name: '住建',
      legalBasis: '《建筑法》',
      inspectingDepartments: [HOUSING],
      objectScope: {},
      method: 'documents',
      kind: 'key',
      minRatioBp: 10_000,
      maxRatioBp: 10_000,
      frequencyPerYear: 1,
    };
    expect((await call(HOUSING, 'PUT', '/items/HOUSING-ALL', item)).status).toBe(200);
    expect((await call(HOUSING, 'POST', '/inspectors', { name: '赵六', certificateNumber: 'HOUS-1', regionCode: '320700' })).status).toBe(
      201,
    );
    const task = await call(HOUSING, 'POST', '/tasks', { reference: 'LYG-2026-HOUSING', title: '住建全覆盖', itemCodes: ['HOUSING-ALL'] });
    expect(task.body).toMatchObject({ kind: 'ad_hoc', joint: false });
    const shortSeed = 'housing-seed-000000001';
    expect((await call(HOUSING, 'POST', `/tasks/${task.body.id}/freeze`, { seedCommitment: seedCommitment(shortSeed) })).status).toBe(200);
    const refused = await call(HOUSING, 'POST', `/tasks/${task.body.id}/draws`, { seed: shortSeed });
    expect(refused).toMatchObject({
      status: 409,
      body: {
        code: 'INSPECTOR_SHORTFALL',
        details: {
          total: 400,
          shortfalls: expect.arrayContaining([
            expect.objectContaining({ department: HOUSING, needed: 2, available: 1, reason: 'too_few_inspectors' }),
          ]),
        },
      },
    });
    const sql = await service.sql();
    expect((await sql.query(`SELECT count(*)::int AS n FROM inspection_check WHERE task_id = $1`, [task.body.id])).rows[0].n).toBe(0);
    expect((await call(HOUSING, 'GET', `/tasks/${task.body.id}`)).body.status).toBe('pool_frozen');
  });

  it('records results per department; bad results are refused and write nothing', async () => {
    const checks = (await call(SAMR, 'GET', `/tasks/${taskId}/checks?status=pending`)).body.checks;
    const [first, second] = checks;
    const undrawn = testUscc(9_999_999);
    const sql = await service.sql();
    const results = async () => (await sql.query(`SELECT count(*)::int AS n FROM inspection_result`)).rows[0].n;
    const ok = { category: 'no_problem', findings: '未发现问题' };
    expect(await call(SAMR, 'POST', `/tasks/${taskId}/checks/${undrawn}/results`, ok)).toMatchObject({
      status: 422,
      body: { code: 'ENTITY_NOT_DRAWN' },
    });
    expect(await call(HOUSING, 'POST', `/tasks/${taskId}/checks/${first.uscc}/results`, ok)).toMatchObject({
      status: 403,
      body: { code: 'DEPARTMENT_NOT_IN_TASK' },
    });
    expect(await call(SAMR, 'POST', `/tasks/${taskId}/checks/${first.uscc}/results`, { ...ok, category: 'looked_fine' })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'category', rule: 'isIn' })] },
    });
    expect(
      await call(SAMR, 'POST', `/tasks/${taskId}/checks/${first.uscc}/results`, { ...ok, category: 'further_handling' }),
    ).toMatchObject({
      status: 422,
      body: { code: 'INVALID_RESULT' },
    });
    expect(await results()).toBe(0);

    const violation = {
      category: 'further_handling',
      findings: '冷库温度记录缺失',
      violations: [{ code: 'FOOD-HYGIENE-01', description: '温控记录缺失' }],
      evidenceRefs: ['EV-1'],
    };
    expect(await call(SAMR, 'POST', `/tasks/${taskId}/checks/${first.uscc}/results`, violation)).toMatchObject({
      status: 201,
      body: { category: 'further_handling', inspectorIds: first.inspectors[0].inspectorIds },
    });
    expect(await call(SAMR, 'POST', `/tasks/${taskId}/checks/${first.uscc}/results`, violation)).toMatchObject({
      status: 409,
      body: { code: 'RESULT_ALREADY_RECORDED' },
    });
    expect((await call(HEALTH, 'POST', `/tasks/${taskId}/checks/${first.uscc}/results`, ok)).status).toBe(201);
    expect(
      (
        await call(SAMR, 'POST', `/tasks/${taskId}/checks/${second.uscc}/results`, {
          category: 'cannot_be_contacted',
          findings: '登记住所无此企业',
        })
      ).status,
    ).toBe(201);
    expect(
      await call(SAMR, 'POST', `/tasks/${taskId}/redraws`, { reason: '再抽一次试试看', seedCommitment: seedCommitment('y') }),
    ).toMatchObject({
      status: 409,
      body: { code: 'ILLEGAL_TASK_TRANSITION' },
    });

    const checksNow = (await call(SAMR, 'GET', `/tasks/${taskId}/checks`)).body.checks;
    expect(checksNow.find((c: any) => c.uscc === first.uscc).status).toBe('done');
    expect(checksNow.find((c: any) => c.uscc === second.uscc).status).toBe('pending');
    const events = (await sql.query(`SELECT value FROM outbox WHERE event_type = $1 ORDER BY id`, [InspectionRecordedV2.type])).rows.map(
      (row: { value: Buffer }) => JSON.parse(row.value.toString()).data,
    );
    expect(events.map((e: any) => [e.uscc, e.department, e.category, e.programme, e.result])).toEqual([
      [first.uscc, SAMR, 'further_handling', 'random', 'non_compliant'],
      [first.uscc, HEALTH, 'no_problem', 'random', 'compliant'],
      [second.uscc, SAMR, 'cannot_be_contacted', 'random', 'non_compliant'],
    ]);
    expect(events[0]).toMatchObject({
      taskReference: 'LYG-2026-001',
      itemCodes: ['SAMR-GENERAL'],
      inspectors: [expect.stringMatching(/^检查员/), expect.stringMatching(/^检查员/)],
    });
    // for the duty figures: the check, its stratum and deadlines; the check completed by the second department's result
    const recorded = await outboxOf(InspectionResultRecordedV1.type);
    expect(recorded.map((event) => [event.key, event.data.department, event.data.checkCompletedAt !== undefined])).toEqual([
      [first.uscc, SAMR, false],
      [first.uscc, HEALTH, true],
      [second.uscc, SAMR, false],
    ]);
    expect(recorded[1].data).toMatchObject({ resultId: events[1].inspectionId, stratum: first.stratum, inspectionTaskId: taskId });
    const target = (await call(SAMR, 'GET', `/targets/${first.uscc}`)).body;
    expect(target.lastInspectors.sort()).toEqual(first.inspectors.flatMap((t: any) => t.inspectorIds).sort());
  });

  it('publishes results redacted, reminds and escalates overdue checks, and counts the figures', async () => {
    expect((await call(SAMR, 'POST', '/admin/inspection-sweeps', {})).status).toBe(403);
    const swept = await call('PLATFORM-OPS', 'POST', '/admin/inspection-sweeps', {});
    expect(swept.body).toMatchObject({ published: 3, withdrawn: 0 });
    const published = await call(null, 'GET', `/public/results?taskId=${taskId}`);
    expect(published.body.results).toHaveLength(3);
    expect(published.body.results[0]).not.toHaveProperty('findings');
    expect(JSON.stringify(published.body)).not.toContain('检查员');
    expect(JSON.stringify(published.body)).not.toContain('EV-1');
    const announced = await outboxOf(InspectionResultPublishedV1.type);
    expect(announced.map((event) => event.data.resultId).sort()).toEqual(
      (await outboxOf(InspectionResultRecordedV1.type)).map((event) => event.data.resultId).sort(),
    );

    const later = await call('PLATFORM-OPS', 'POST', '/admin/inspection-sweeps', {
      asOf: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    });
    expect(later.body).toMatchObject({ reminded: 52, escalated: 52 });
    const sql = await service.sql();
    const overdue = await sql.query(`SELECT count(*)::int AS n FROM outbox WHERE event_type = $1`, [InspectionCheckOverdueV1.type]);
    expect(overdue.rows[0].n).toBe(104);
    const gone = await call('PLATFORM-OPS', 'POST', '/admin/inspection-sweeps', {
      asOf: new Date(Date.now() + 4 * 366 * 86_400_000).toISOString(),
    });
    expect(gone.body).toMatchObject({ withdrawn: 3 });
    expect((await call(null, 'GET', `/public/results?taskId=${taskId}`)).body.results).toEqual([]);

    const figures = await call(null, 'GET', `/public/figures?planId=${planId}`);
    const samr = figures.body.rows.filter((row: any) => row.department === SAMR);
    expect(samr.reduce((sum: number, row: any) => sum + row.drawn, 0)).toBe(53);
    expect(samr.reduce((sum: number, row: any) => sum + row.results, 0)).toBe(2);
    expect(samr.reduce((sum: number, row: any) => sum + row.problems, 0)).toBe(2);
    expect(figures.body.keyCoverage).toMatchObject({ keyEntities: 10 });
    await call('PLATFORM-OPS', 'POST', '/admin/inspection-sweeps', {}); // the figures of this year
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/inspection_entities_drawn\{department="320700-SAMR",stratum="[A-DK]"\} \d+/);
  });
});
