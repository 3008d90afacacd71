import { randomUUID } from 'node:crypto';
import {
  ApprovalDecidedV2,
  CaseClosedV1,
  CaseOpenedV1,
  CreditStatusChangedV1,
  InspectionRecordedV2,
  LicenceStatusChangedV1,
} from '@backbone/contracts';
import { InProcessService, testUscc, waitFor } from '@backbone/testing';
import { loadInspectionConfig } from './inspection.config';
import { INSPECTION_SERVICE, InspectionModule } from './inspection.module';

const SAMR = '320700-SAMR';
const HEALTH = '320700-HEALTH';
const KEYS = { [SAMR]: 'test-key-market-regulator-320700', [HEALTH]: 'test-key-health-commission-32070' };

/** The item list and the two pools, in process against real PostgreSQL and Kafka. */
describe('inspection: one list, two pools (real Kafka and PostgreSQL)', () => {
  let service: InProcessService;

  beforeAll(async () => {
    service = await InProcessService.start({
      service: INSPECTION_SERVICE,
      loadConfig: loadInspectionConfig,
      module: (config) => InspectionModule.forRoot(config),
      clients: KEYS,
      env: { POOL_KEEPER_DEPARTMENTS: SAMR, INSPECTION_SWEEP_INTERVAL_MS: '0' },
    });
  });

  afterAll(async () => {
    await service?.stop();
  });

  const item = {
    name: '食品经营者日常监督检查',
    legalBasis: '《食品安全法》第一百一十条',
    inspectingDepartments: [SAMR],
    objectScope: { licenceItemCodes: ['FOOD-BUSINESS-LICENCE'], regionPrefixes: ['3207'] },
    method: 'on_site',
    kind: 'general',
    minRatioBp: 0,
    maxRatioBp: 2_000,
    frequencyPerYear: 1,
  };

  async function upload(contentType: string, body: string, key: string = KEYS[SAMR]) {
    const response = await fetch(`${service.url}/targets/imports`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-api-key': key },
      body,
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('versions an item of the list and publishes the current list without a key', async () => {
    const first = await service.call(SAMR, 'PUT', '/items/FOOD-DAILY', item);
    expect(first).toMatchObject({ status: 200, body: { version: 1, kind: 'general', department: SAMR } });
    const second = await service.call(SAMR, 'PUT', '/items/FOOD-DAILY', { ...item, kind: 'key', maxRatioBp: 10_000 });
    expect(second.body).toMatchObject({ version: 2, kind: 'key' });

    const list = await service.call(null, 'GET', `/public/items?department=${SAMR}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ code: 'FOOD-DAILY', version: 2, ratioBounds: { minRatioBp: 0, maxRatioBp: 10_000 } }),
    ]);
    const versions = await service.call(null, 'GET', `/public/items/${SAMR}/FOOD-DAILY/versions`);
    expect(versions.body.versions.map((v: any) => [v.version, v.supersededAt === null])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('refuses an item with inconsistent bounds or an unknown method, naming the field, and writes nothing', async () => {
    const bounds = await service.call(SAMR, 'PUT', '/items/BAD-ITEM', { ...item, minRatioBp: 3_000 });
    expect(bounds).toMatchObject({ status: 422, body: { code: 'INVALID_ITEM', detail: expect.stringContaining('minRatioBp') } });
    const method = await service.call(SAMR, 'PUT', '/items/BAD-ITEM', { ...item, method: 'telepathy' });
    expect(method).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'method' })] },
    });
    expect((await service.call(null, 'GET', `/public/items/${SAMR}/BAD-ITEM/versions`)).status).toBe(404);
  });

  it('keeps inspectors per department with unique certificates and declared conflicts', async () => {
    const created = await service.call(SAMR, 'POST', '/inspectors', { name: '李强', certificateNumber: 'IT-0001', regionCode: '320700' });
    expect(created).toMatchObject({ status: 201, body: { department: SAMR, active: true } });
    const duplicate = await service.call(HEALTH, 'POST', '/inspectors', {
      name: '王芳',
      certificateNumber: 'IT-0001',
      regionCode: '320700',
    });
    expect(duplicate).toMatchObject({ status: 409, body: { code: 'DUPLICATE_CERTIFICATE' } });

    const uscc = testUscc(7_000_001);
    const foreign = await service.call(HEALTH, 'POST', `/inspectors/${created.body.id}/conflicts`, { uscc, reason: '亲属' });
    expect(foreign).toMatchObject({ status: 403, body: { code: 'NOT_OWNER_DEPARTMENT' } });
    expect(await service.call(SAMR, 'POST', `/inspectors/${created.body.id}/conflicts`, { uscc, reason: '亲属' })).toMatchObject({
      status: 201,
    });
    const sql = await service.sql();
    expect((await sql.query(`SELECT uscc FROM inspector_conflict`)).rows).toEqual([{ uscc }]);

    expect(await service.call(SAMR, 'PATCH', `/inspectors/${created.body.id}`, { active: false })).toMatchObject({
      body: { active: false },
    });
    const list = await service.call(SAMR, 'GET', `/inspectors?department=${SAMR}`);
    expect(list.body.inspectors).toEqual([expect.objectContaining({ certificateNumber: 'IT-0001', active: false })]);
  });

  it('keeps the target pool from approvals, licence status, credit standing and open cases', async () => {
    const uscc = testUscc(7_000_101);
    const approvalId = randomUUID();
    const decided = await service.publish(
      ApprovalDecidedV2,
      {
        approvalId,
        version: 1,
        uscc,
        entityName: '连云港某餐饮有限公司',
        itemCode: 'FOOD-BUSINESS-LICENCE',
        regionCode: '320703',
        approverDepartment: '320700-APPROVAL',
        kind: 'licence',
        outcome: 'granted',
        licenceNumber: 'JY1',
        decidedAt: new Date().toISOString(),
      },
      uscc,
    );
    const target = () => service.call(SAMR, 'GET', `/targets/${uscc}`);
    await waitFor('the approval to reach the pool', async () => (await target()).status === 200);
    expect((await target()).body).toMatchObject({
      name: '连云港某餐饮有限公司',
      regionCode: '320703',
      entityType: 'enterprise',
      creditTier: 'B',
      licences: [{ approvalId, itemCode: 'FOOD-BUSINESS-LICENCE', approverDepartment: '320700-APPROVAL', status: 'active' }],
    });
    const sql = await service.sql();
    expect((await sql.query(`SELECT correlation_id FROM target_licence WHERE approval_id = $1`, [approvalId])).rows).toEqual([
      { correlation_id: decided.correlationid },
    ]);

    const caseId = randomUUID();
    await service.publish(CaseOpenedV1, { caseId, uscc, department: SAMR, violationCodes: ['X'] }, uscc);
    await service.publish(
      LicenceStatusChangedV1,
      { approvalId, uscc, from: 'active', to: 'suspended', reason: 'penalty', changedAt: new Date().toISOString() },
      uscc,
    );
    await service.publish(
      CreditStatusChangedV1,
      { uscc, tier: 'D', previousTier: 'B', lists: ['serious_dishonesty'], measures: [], facts: [], effectiveAt: new Date().toISOString() },
      uscc,
    );
    await service.publish(
      CreditStatusChangedV1,
      { uscc, tier: 'A', lists: [], measures: [], facts: [], effectiveAt: new Date(Date.now() - 86_400_000).toISOString() },
      uscc,
    );
    await waitFor('credit and licence status in the pool', async () => {
      const body = (await target()).body;
      return body.creditTier === 'D' && body.licences[0].status === 'suspended';
    });
    await waitFor('all events applied', async () => (await sql.query(`SELECT 1 FROM inbox`)).rowCount! >= 5);
    expect((await target()).body).toMatchObject({ creditTier: 'D', creditLists: ['serious_dishonesty'], openCases: 1 });

    await service.publish(
      CaseClosedV1,
      { caseId, uscc, department: SAMR, outcome: 'no_penalty', closedAt: new Date().toISOString() },
      uscc,
    );
    await waitFor('the closed case', async () => (await target()).body.openCases === 0);

    const inspectedAt = '2026-03-02T02:00:00.000Z';
    await service.publish(
      InspectionRecordedV2,
      {
        inspectionId: randomUUID(),
        programme: 'ad_hoc',
        approvalId,
        uscc,
        department: SAMR,
        inspectors: ['李强'],
        category: 'no_problem',
        result: 'compliant',
        violations: [],
        itemCodes: ['FOOD-BUSINESS-LICENCE'],
        evidenceRefs: [],
        inspectedAt,
      },
      uscc,
    );
    await waitFor('the ad-hoc inspection in the pool', async () => (await target()).body.lastInspectedAt === inspectedAt);
  });

  it('imports NDJSON row by row: bad rows reported with line and field, good rows upserted, progress kept', async () => {
    const good = Array.from({ length: 12_000 }, (_, i) => ({
      uscc: testUscc(8_000_000 + i),
      name: `企业${i}`,
      creditTier: i % 10 === 0 ? 'D' : undefined,
    }));
    const lines = good.map((row) => JSON.stringify(row));
    lines.splice(5, 0, '{"uscc":"91320700MA1MXXK01M","name":"坏校验码"}'); // line 6
    lines.splice(9, 0, 'not json'); // line 10
    lines.splice(20, 0, JSON.stringify({ uscc: testUscc(8_100_000), name: '' })); // line 21
    const report = await upload('application/x-ndjson', lines.join('\n') + '\n');
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({ status: 'completed', format: 'ndjson', rowsRead: 12_003, rowsAccepted: 12_000, rowsRejected: 3 });
    expect(report.body.rejected).toEqual([
      { line: 6, problems: [expect.objectContaining({ field: 'uscc', rule: 'isUscc' })] },
      { line: 10, problems: [expect.objectContaining({ field: '(row)', rule: 'json' })] },
      { line: 21, problems: [expect.objectContaining({ field: 'name', rule: 'length' })] },
    ]);
    const progress = await service.call(SAMR, 'GET', `/targets/imports/${report.body.id}`);
    expect(progress.body).toEqual(report.body);
    const sql = await service.sql();
    const counts = await sql.query(
      `SELECT credit_tier, count(*)::int AS n FROM target_entity WHERE source = 'import' GROUP BY 1 ORDER BY 1`,
    );
    expect(counts.rows).toEqual([
      { credit_tier: 'B', n: 10_800 },
      { credit_tier: 'D', n: 1_200 },
    ]);
  });

  it('imports CSV with a header; a record with the wrong number of columns is reported, not fatal', async () => {
    const csv = [
      'uscc,name,keySupervision,industry',
      `${testUscc(8_200_001)},"某化工有限公司, 灌云",true,C26`,
      `${testUscc(8_200_002)},某药店,false`,
      `${testUscc(8_200_003)},某超市,false,F52`,
      `${testUscc(8_200_004)},某超市,maybe,F52`,
    ].join('\r\n');
    const report = await upload('text/csv; charset=utf-8', csv);
    expect(report.body).toMatchObject({ status: 'completed', rowsRead: 4, rowsAccepted: 2, rowsRejected: 2 });
    expect(report.body.rejected.map((r: any) => [r.line, r.problems[0].field])).toEqual([
      [3, '(row)'],
      [5, 'keySupervision'],
    ]);
    expect((await service.call(SAMR, 'GET', `/targets/${testUscc(8_200_001)}`)).body).toMatchObject({
      name: '某化工有限公司, 灌云',
      keySupervision: true,
      industry: 'C26',
    });
  });

  it('refuses an import by a department that does not keep the pool, or in an unknown format, writing nothing', async () => {
    const sql = await service.sql();
    const before = (await sql.query(`SELECT count(*)::int AS n FROM pool_import`)).rows[0].n;
    expect(await upload('application/x-ndjson', '{}\n', KEYS[HEALTH])).toMatchObject({ status: 403, body: { code: 'ROLE_REQUIRED' } });
    expect(await upload('application/xml', '<x/>')).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    expect((await sql.query(`SELECT count(*)::int AS n FROM pool_import`)).rows[0].n).toBe(before);
  });
});
