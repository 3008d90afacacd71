import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { usccCheckCharacter } from '@backbone/contracts';
import { REPO_ROOT, TestSystem, testUscc, waitFor } from '@backbone/testing';

const run = promisify(execFile);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** An individual business (个体工商户, USCC category 92): masked when its result is published. */
function individualBusinessUscc(n: number): string {
  const body = testUscc(n).slice(8, 17);
  const first17 = `92320700${body}`;
  return first17 + usccCheckCharacter(first17);
}

/**
 * 双随机、一公开 end to end, the five services as separate processes on real Kafka and PostgreSQL:
 * licences granted at the approver reach the inspection pool → annual plan → joint task (market
 * regulator + health commission) → frozen pool with its published hash and seed commitment → draw →
 * the verifier, as its own process, reproduces it from public data only → results (one violation,
 * one cannot-be-contacted) → a case at enforcement, the abnormal-operation list at credit, the result
 * on the approval and in its trail → the results published, redacted.
 */
describe('random inspection end to end', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start(['approval', 'supervision', 'enforcement', 'credit', 'inspection'], {
      inspection: { INSPECTION_SWEEP_INTERVAL_MS: '0' },
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('plan → joint task → frozen pool → draw → verified → results → case, abnormal list, approver, trail, publication', async () => {
    const company = testUscc(7_700_001);
    const shop = individualBusinessUscc(7_700_002);
    const approvals: Record<string, { id: string; correlationId: string }> = {};
    for (const [uscc, name, number] of [
      [company, '连云港海味餐饮有限公司', 'RI-0001'],
      [shop, '海州区张三小吃店', 'RI-0002'],
    ]) {
      const decided = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', {
        applicationNumber: number,
        uscc,
        entityName: name,
        itemCode: 'FOOD-BUSINESS-LICENCE',
        regionCode: '320703',
        kind: 'licence',
        outcome: 'granted',
        licenceNumber: `JY${number}`,
      });
      expect(decided.status).toBe(201);
      approvals[uscc] = { id: decided.body.id, correlationId: decided.body.correlationId };
    }
    // The licences reach the target pool through the approval events.
    for (const uscc of [company, shop]) {
      await waitFor(`${uscc} in the target pool`, async () => {
        const target = await system.call('inspection', '320700-SAMR', 'GET', `/targets/${uscc}`);
        return target.status === 200 && target.body.licences.length === 1;
      });
    }

    // 一单两库: the two departments' items and inspectors.
    const item = (department: string, kind: string, minRatioBp: number) => ({
      name: kind === 'key' ? '公共场所卫生重点检查' : '食品经营日常检查',
      legalBasis: kind === 'key' ? '《公共场所卫生管理条例》' : '《食品安全法》第一百一十条',
      inspectingDepartments: [department],
      objectScope: { licenceItemCodes: ['FOOD-BUSINESS-LICENCE'] },
      method: 'on_site',
      kind,
      minRatioBp,
      maxRatioBp: kind === 'key' ? 10_000 : 2_000,
      frequencyPerYear: 1,
    });
    expect((await system.call('inspection', '320700-SAMR', 'PUT', '/items/FOOD-DAILY', item('320700-SAMR', 'general', 0))).status).toBe(
      200,
    );
    // full coverage of the licensed restaurants: a key item with a 100 % floor
    expect(
      (await system.call('inspection', '320700-HEALTH', 'PUT', '/items/HYGIENE-KEY', item('320700-HEALTH', 'key', 10_000))).status,
    ).toBe(200);
    const names: Record<string, string> = {};
    for (const [department, count] of [
      ['320700-SAMR', 3],
      ['320700-HEALTH', 2],
    ] as const) {
      for (let i = 1; i <= count; i++) {
        const created = await system.call('inspection', department, 'POST', '/inspectors', {
          name: `${department === '320700-SAMR' ? '市监' : '卫健'}检查员${i}`,
          certificateNumber: `${department.slice(-4)}E2E${i}`,
          regionCode: '320700',
        });
        expect(created.status).toBe(201);
        names[created.body.id] = created.body.name;
      }
    }
    const listed = await system.call('inspection', '320700-SAMR', 'GET', '/inspectors?department=320700-SAMR');
    const conflicted = listed.body.inspectors[0];
    expect(
      (
        await system.call('inspection', '320700-SAMR', 'POST', `/inspectors/${conflicted.id}/conflicts`, {
          uscc: company,
          reason: '曾任该企业顾问',
        })
      ).status,
    ).toBe(201);

    // Plan → joint task.
    const plan = await system.call('inspection', '320700-SAMR', 'POST', '/plans', {
      year: 2026,
      title: '2026年度餐饮联合抽查计划',
      description: '餐饮',
    });
    expect((await system.call('inspection', '320700-SAMR', 'POST', `/plans/${plan.body.id}/publish`)).status).toBe(200);
    expect((await system.call('inspection', '320700-SAMR', 'GET', '/public/plans')).body.plans).toHaveLength(1);
    const taskRequest = {
      reference: 'LYG-2026-E2E-01',
      planId: plan.body.id,
      title: '餐饮服务单位联合抽查',
      itemCodes: ['FOOD-DAILY'],
      participants: [{ department: '320700-HEALTH', itemCodes: ['HYGIENE-KEY'] }],
    };
    const task = await system.call('inspection', '320700-SAMR', 'POST', '/tasks', taskRequest);
    expect(task).toMatchObject({ status: 201, body: { joint: true, filters: { licenceItemCodes: ['FOOD-BUSINESS-LICENCE'] } } });
    const taskId: string = task.body.id;
    expect((await system.call('inspection', '320700-SAMR', 'POST', '/tasks', taskRequest)).body.code).toBe('DUPLICATE_TASK');

    // A draw before the freeze is refused; the freeze publishes the hash and the commitment.
    const seed = 'e2e-seed-2026-lyg-joint-task';
    expect((await system.call('inspection', '320700-SAMR', 'POST', `/tasks/${taskId}/draws`, { seed })).body.code).toBe('POOL_NOT_FROZEN');
    const frozen = await system.call('inspection', '320700-SAMR', 'POST', `/tasks/${taskId}/freeze`, { seedCommitment: sha256(seed) });
    expect(frozen).toMatchObject({ status: 200, body: { poolSize: 2 } });
    const announced = await system.call('inspection', '320700-SAMR', 'GET', `/public/tasks/${taskId}`);
    expect(announced.body).toMatchObject({ poolHash: frozen.body.poolHash, draws: [{ seedCommitment: sha256(seed), seed: null }] });
    const poolText = await (await fetch(`${system.service('inspection').url}/public/tasks/${taskId}/pool`)).text();
    expect(sha256(poolText)).toBe(frozen.body.poolHash);
    expect(poolText).toBe(
      [company, shop]
        .sort()
        .map((uscc) => `${uscc}\tB\n`)
        .join(''),
    );

    // The draw: both entities (100 %), two market inspectors (never the conflicted one at the company) and one health inspector each.
    const drawn = await system.call('inspection', '320700-SAMR', 'POST', `/tasks/${taskId}/draws`, { seed });
    expect(drawn.status).toBe(200);
    expect(drawn.body.targets.map((t: { uscc: string }) => t.uscc)).toEqual([company, shop].sort());
    const companyTarget = drawn.body.targets.find((t: { uscc: string }) => t.uscc === company);
    expect(companyTarget.inspectors[0].inspectorIds).toHaveLength(2);
    expect(companyTarget.inspectors[0].inspectorIds).not.toContain(conflicted.id);
    expect(companyTarget.inspectors[1].inspectorIds).toHaveLength(1);

    // The verifier, a separate process, re-runs it from the public endpoints only.
    const verifier = await run(
      process.execPath,
      [join(REPO_ROOT, 'dist/services/inspection/src/verifier/verify-draw.js'), taskId, '--url', system.service('inspection').url],
      { timeout: 60_000 },
    );
    expect(verifier.stdout).toContain('verified: the published draw is reproduced exactly');
    expect(verifier.stdout).not.toContain('MISMATCH');
    expect(verifier.stdout).toContain(`${company}\tB\t320700-SAMR:`);

    // Results: a violation at the company, cannot be contacted at the shop; health finds nothing.
    const result = (department: string, uscc: string, body: object) =>
      system.call('inspection', department as '320700-SAMR', 'POST', `/tasks/${taskId}/checks/${uscc}/results`, body);
    expect(
      (
        await result('320700-SAMR', company, {
          category: 'further_handling',
          findings: '后厨冷藏温度记录缺失，部分食材超过保质期',
          violations: [{ code: 'FOOD-HYGIENE-01', description: '使用超过保质期的食品原料' }],
          evidenceRefs: ['EV-LYG-2026-0001'],
        })
      ).status,
    ).toBe(201);
    expect((await result('320700-SAMR', shop, { category: 'cannot_be_contacted', findings: '登记住所已无人经营' })).status).toBe(201);
    expect((await result('320700-HEALTH', company, { category: 'no_problem', findings: '卫生状况良好' })).status).toBe(201);
    expect((await result('320700-HEALTH', shop, { category: 'not_operating', findings: '未见经营' })).status).toBe(201);
    // bad input: an undrawn entity, a department not in the task, an unknown category
    expect((await result('320700-SAMR', testUscc(7_700_099), { category: 'no_problem', findings: 'x' })).body.code).toBe(
      'ENTITY_NOT_DRAWN',
    );
    expect((await result('320700-HOUSING', company, { category: 'no_problem', findings: 'x' })).body.code).toBe('DEPARTMENT_NOT_IN_TASK');
    expect((await result('320700-SAMR', company, { category: 'fine', findings: 'x' })).status).toBe(400);
    expect((await system.call('inspection', '320700-SAMR', 'GET', `/tasks/${taskId}`)).body.status).toBe('completed');

    // → enforcement opens a case for the violation, for the department that found it.
    const enforcementCase = await waitFor('the enforcement case', async () => {
      const found = await system.call('enforcement', '320700-SAMR', 'GET', `/cases?uscc=${company}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
    expect(enforcementCase).toMatchObject({ department: '320700-SAMR', violationCodes: ['FOOD-HYGIENE-01'] });
    expect((await system.call('enforcement', '320700-SAMR', 'GET', `/cases?uscc=${shop}`)).body).toEqual([]);

    // → credit: the shop on the abnormal-operation list; every result a credit fact.
    // The two departments' results travel as separate events: the first puts the shop on the list, the
    // second may arrive a moment later, so wait for both rather than assert on the first sight of the list.
    const shopRecord = await waitFor('the abnormal-operation list and both results at credit', async () => {
      const found = await system.call('credit', '320700-SAMR', 'GET', `/credit-records/${shop}/full`);
      return found.body.lists?.includes('abnormal_operation') && found.body.inspections?.length >= 2 ? found.body : undefined;
    });
    expect(shopRecord.inspections).toHaveLength(2);
    const companyRecord = await waitFor('the company’s results at credit', async () => {
      const found = await system.call('credit', '320700-SAMR', 'GET', `/credit-records/${company}/full`);
      return found.body.inspections?.length === 2 ? found.body : undefined;
    });
    expect(companyRecord.lists).not.toContain('abnormal_operation');

    // → the approver that issued the licence sees the results on the approval and in its trail.
    const approval = await waitFor('the results on the approval', async () => {
      const found = await system.call('approval', '320700-APPROVAL', 'GET', `/approvals/${approvals[company].id}`);
      const results = found.body.feedback.filter((row: { kind: string }) => row.kind === 'inspection_recorded');
      return results.length === 2 ? results : undefined;
    });
    expect(approval.map((row: { detail: { category: string } }) => row.detail.category).sort()).toEqual(['further_handling', 'no_problem']);
    const trail = await waitFor('the results in the trail', async () => {
      const found = await system.call('approval', '320700-APPROVAL', 'GET', `/approvals/${approvals[company].id}/trail`);
      const types: string[] = (found.body.events ?? found.body).map((event: { type: string }) => event.type);
      return types.includes('backbone.enforcement.case-opened.v1') ? types : undefined;
    });
    expect(trail.indexOf('backbone.approval.decided.v2')).toBeLessThan(trail.indexOf('backbone.inspection.recorded.v2'));
    expect(trail.indexOf('backbone.inspection.recorded.v2')).toBeLessThan(trail.indexOf('backbone.enforcement.case-opened.v1'));

    // 一公开: the results published, redacted (the individual business masked; no findings, inspectors or evidence).
    const swept = await system.call('inspection', 'PLATFORM-OPS', 'POST', '/admin/inspection-sweeps', {});
    expect(swept.body).toMatchObject({ published: 4 });
    const published = await system.call('inspection', '320700-SAMR', 'GET', `/public/results?taskId=${taskId}`);
    expect(published.body.results).toHaveLength(4);
    const shopResults = published.body.results.filter((row: { uscc: string }) => row.uscc !== company);
    expect(shopResults.map((row: { uscc: string; name: string }) => [row.uscc, row.name])).toEqual([
      [`${shop.slice(0, 8)}*********${shop.slice(17)}`, '海州******'],
      [`${shop.slice(0, 8)}*********${shop.slice(17)}`, '海州******'],
    ]);
    const text = JSON.stringify(published.body);
    for (const secret of [shop, '张三', '后厨', 'EV-LYG', ...Object.values(names)]) expect(text).not.toContain(secret);
    expect(
      published.body.results.find((row: { uscc: string; department: string }) => row.uscc === company && row.department === '320700-SAMR'),
    ).toMatchObject({
      category: 'further_handling',
      violationCodes: ['FOOD-HYGIENE-01'],
    });
    const figures = await system.call('inspection', '320700-SAMR', 'GET', `/public/figures?planId=${plan.body.id}`);
    expect(figures.body.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          department: '320700-SAMR',
          stratum: 'B',
          drawn: 2,
          checked: 2,
          results: 2,
          problems: 2,
          publishedOnTime: 2,
        }),
      ]),
    );
  });
});
