import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { TEST_CLIENTS, TestSystem, testUscc, waitFor } from '@backbone/testing';
import type { FigureRow as InspectionRow } from '../../services/inspection/src/publication/figures/inspection-figures';
import { consolePage, EXPORTS, launchChromium, SCREENSHOTS, xlsxRows } from './browser/chromium';

const SAMR = '320700-SAMR';
const HEALTH = '320700-HEALTH';
const OPS = 'PLATFORM-OPS';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The console's random-inspection figures against the inspection service's own records: a real
 * inspection service (its own process, real Kafka and PostgreSQL) publishes a plan, draws a joint task
 * (market regulator + health commission) and records and publishes results; the console, fed only by
 * its events, must report what inspection's `GET /public/figures` and its public lists say. Then the
 * page, in headless Chromium, must show what the console's API gives.
 */
describe('console random-inspection figures agree with the inspection service, and the page shows them', () => {
  let system: TestSystem;
  let browser: Browser;
  let page: Page;
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

  const ok = async (department: keyof typeof TEST_CLIENTS, method: string, path: string, body?: unknown) => {
    const response = await system.call('inspection', department, method, path, body);
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  beforeAll(async () => {
    system = await TestSystem.start(['inspection', 'console'], {
      inspection: { INSPECTION_SWEEP_INTERVAL_MS: '0' },
      console: { REFRESH_MS: '60000' },
    });
    browser = await launchChromium();
    page = await consolePage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('plan → joint task → draw → results → publication: the console counts what inspection records', async () => {
    // 一单两库: each department's item (the health item is key: every entity of the pool is drawn) and inspectors.
    const item = (department: string, kind: string, minRatioBp: number, maxRatioBp: number) => ({
      name: kind === 'key' ? '公共场所卫生重点检查' : '食品经营日常检查',
      legalBasis: kind === 'key' ? '《公共场所卫生管理条例》' : '《食品安全法》第一百一十条',
      inspectingDepartments: [department],
      objectScope: { regionPrefixes: ['3207'] },
      method: 'on_site',
      kind,
      minRatioBp,
      maxRatioBp,
      frequencyPerYear: 1,
    });
    await ok(SAMR, 'PUT', '/items/FOOD-DAILY', item(SAMR, 'general', 0, 2_000));
    await ok(HEALTH, 'PUT', '/items/HYGIENE-KEY', item(HEALTH, 'key', 10_000, 10_000));
    for (const [department, count] of [
      [SAMR, 3],
      [HEALTH, 2],
    ] as const)
      for (let i = 1; i <= count; i++)
        await ok(department, 'POST', '/inspectors', {
          name: `${department === SAMR ? '市监' : '卫健'}检查员${i}`,
          certificateNumber: `${department.slice(-4)}CI${i}`,
          regionCode: '320700',
        });
    // The target register: twelve entities, two under key supervision.
    const rows = Array.from({ length: 12 }, (_, i) => ({
      uscc: testUscc(7_300_000 + i),
      name: `连云港抽查对象${i + 1}号有限公司`,
      regionCode: '320703',
      creditTier: ['A', 'B', 'C', 'D'][i % 4],
      keySupervision: i % 6 === 0,
    }));
    const imported = await fetch(`${system.service('inspection').url}/targets/imports`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'x-api-key': TEST_CLIENTS[SAMR] },
      body: rows.map((row) => JSON.stringify(row)).join('\n'),
    });
    expect(imported.status).toBe(201);

    const plan = await ok(SAMR, 'POST', '/plans', { year, title: `${year}年度餐饮场所联合抽查计划`, description: '餐饮、公共场所' });
    await ok(SAMR, 'POST', `/plans/${plan.id}/publish`);
    const task = await ok(SAMR, 'POST', '/tasks', {
      reference: `LYG-${year}-CONSOLE-01`,
      planId: plan.id,
      title: '餐饮服务单位联合抽查',
      itemCodes: ['FOOD-DAILY'],
      participants: [{ department: HEALTH, itemCodes: ['HYGIENE-KEY'] }],
    });
    const seed = 'console-figures-seed-0001';
    await ok(SAMR, 'POST', `/tasks/${task.id}/freeze`, { seedCommitment: sha256(seed) });
    const drawn = await ok(SAMR, 'POST', `/tasks/${task.id}/draws`, { seed });
    const targets: { uscc: string; stratum: string }[] = drawn.targets;
    expect(targets).toHaveLength(12);

    // Results: both departments for four entities (one problem each side), the market regulator alone for two more.
    const record = (department: string, uscc: string, category: string) =>
      ok(department as typeof SAMR, 'POST', `/tasks/${task.id}/checks/${uscc}/results`, {
        category,
        findings: category === 'no_problem' ? '未发现问题' : '发现问题，已责令改正',
        ...(category === 'ordered_to_correct' ? { violations: [{ code: 'FOOD-HYGIENE-01', description: '从业人员未持健康证明' }] } : {}),
      });
    for (const [index, target] of targets.slice(0, 6).entries()) {
      await record(SAMR, target.uscc, index === 0 ? 'ordered_to_correct' : 'no_problem');
      if (index < 4) await record(HEALTH, target.uscc, index === 1 ? 'cannot_be_contacted' : 'no_problem');
    }
    const swept = await ok(OPS, 'POST', '/admin/inspection-sweeps', {});
    expect(swept.published).toBe(10);
    // One more after the sweep: recorded, not yet published.
    await record(SAMR, targets[6].uscc, 'not_operating');

    // What inspection's own records say.
    const own = await ok(OPS, 'GET', `/public/figures?year=${year}`);
    const truth: InspectionRow[] = own.rows;
    const sum = (department: string, figure: keyof InspectionRow) =>
      truth.filter((row) => row.department === department).reduce((total, row) => total + Number(row[figure]), 0);
    const published = await ok(OPS, 'GET', `/public/results?taskId=${task.id}`);
    expect(published.results).toHaveLength(10);
    expect((await ok(OPS, 'GET', `/public/plans?year=${year}`)).plans).toHaveLength(1);

    const figures = await waitFor('the console to have applied every inspection event', async () => {
      const found = await system.call('console', OPS, 'GET', '/figures/inspection');
      return found.body.totals?.results === 11 && found.body.totals.publishedOnTime === 10 && found.body.totals.drawn === 12
        ? found.body
        : undefined;
    });
    expect(figures.totals).toMatchObject({ plansPublished: 1, tasks: 1, awaitingPublication: 1, awaitingPastDeadline: 0 });
    for (const department of [SAMR, HEALTH]) {
      const row = figures.rows.find((each: { key: string }) => each.key === department);
      expect({
        department,
        drawn: row.drawn,
        checked: row.checksDone,
        completedOnTime: row.checksDoneOnTime,
        results: row.results,
        publishedOnTime: row.publishedOnTime,
        problems: row.problems,
      }).toEqual({
        department,
        drawn: sum(department, 'drawn'),
        checked: sum(department, 'checked'),
        completedOnTime: sum(department, 'completedOnTime'),
        results: sum(department, 'results'),
        publishedOnTime: sum(department, 'publishedOnTime'),
        problems: sum(department, 'problems'),
      });
    }
    // The figures mean something: checks done (four, both departments), problems on both sides, one awaiting publication.
    expect(figures.rows.find((row: { key: string }) => row.key === SAMR)).toMatchObject({ checksDone: 4, problems: 1, results: 7 });
    expect(figures.rows.find((row: { key: string }) => row.key === HEALTH)).toMatchObject({ checksDone: 4, problems: 1, results: 4 });
    // Per stratum: an entity counts once, as it does in each department's rows of inspection's figures.
    for (const stratum of figures.strata as { key: string; drawn: number; results: number }[]) {
      const ofStratum = truth.filter((row) => row.stratum === stratum.key);
      expect({ stratum: stratum.key, drawn: stratum.drawn, results: stratum.results }).toEqual({
        stratum: stratum.key,
        drawn: ofStratum.filter((row) => row.department === SAMR).reduce((total, row) => total + row.drawn, 0),
        results: ofStratum.reduce((total, row) => total + row.results, 0),
      });
    }
    // Coverage of key-supervision entities: inspection's count of its register, and of those inspected this year.
    expect({ keyEntities: figures.coverage.registerKeyEntities, inspected: figures.coverage.inspectedKeyEntities }).toEqual({
      keyEntities: own.keyCoverage.keyEntities,
      inspected: own.keyCoverage.inspected,
    });
    expect(figures.coverage).toMatchObject({ registerEntities: 12, registerKeyEntities: 2 });
  });

  it('shows the random-inspection page (KPIs, the department table, its XLSX export) as the API gives it', async () => {
    const api = (await system.call('console', OPS, 'GET', '/figures/inspection')).body;
    await page.goto(system.service('console').url);
    await page.getByLabel('部门接口密钥').fill(TEST_CLIENTS[OPS]);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#who-name', { hasText: OPS }).waitFor();
    await page.getByRole('link', { name: '随机抽查' }).click();
    await page.locator('main[data-loaded="inspection"]').waitFor();
    await page.getByRole('heading', { name: /^随机抽查（双随机、一公开）/ }).waitFor();

    const kpi = (label: string) =>
      page
        .locator('#inspection-kpis .kpi')
        .filter({ has: page.locator('.label', { hasText: new RegExp(`^${label}$`) }) })
        .locator('.value')
        .textContent();
    await expect(kpi('抽查任务')).resolves.toBe(String(api.totals.tasks));
    await expect(kpi('完成检查')).resolves.toBe(`${api.totals.checksDone} / ${api.totals.drawn}`);
    await expect(kpi('结果按期公示')).resolves.toBe(`${api.totals.publishedOnTime} / ${api.totals.results}`);
    await expect(kpi('超期未公示')).resolves.toBe(String(api.totals.awaitingPastDeadline));
    await page.locator('#inspection-trend-chart canvas').waitFor();

    const region = page.getByRole('region', { name: '按部门统计（任务按摇号日期、结果按录入日期）' });
    for (const row of api.rows as { key: string; drawn: number; results: number }[]) {
      const cells = region.getByRole('row', { name: new RegExp(`^${row.key} `) }).getByRole('cell');
      await expect(cells.nth(3).textContent()).resolves.toBe(String(row.drawn));
      await expect(cells.nth(8).textContent()).resolves.toBe(String(row.results));
    }
    // What a 1366×768 screen shows from the top of the page, and the whole page.
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'inspection-figures-1366x768.png') });
    await page.screenshot({ path: join(SCREENSHOTS, 'inspection-figures.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 XLSX：各部门随机抽查履职情况' }).click(),
    ]);
    const file = join(EXPORTS, 'inspection-departments.xlsx');
    await download.saveAs(file);
    const sheet = xlsxRows(file);
    expect(sheet[0].slice(0, 4)).toEqual(['部门', '公布计划', '抽查任务', '抽取户次']);
    expect(sheet).toHaveLength(1 + api.rows.length);
    for (const row of api.rows as { key: string; drawn: number; checksDoneOnTime: number; publishedOnTime: number }[]) {
      const line = sheet.find((each) => each[0] === row.key) as string[];
      expect([line[3], line[5], line[10]].map(Number)).toEqual([row.drawn, row.checksDoneOnTime, row.publishedOnTime]);
    }
  });

  it('shows a department its own row only', async () => {
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByLabel('部门接口密钥').fill(TEST_CLIENTS[HEALTH]);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#who-name', { hasText: HEALTH }).waitFor();
    await page.getByRole('link', { name: '随机抽查' }).click();
    await page.locator('main[data-loaded="inspection"]').waitFor();
    const api = (await system.call('console', HEALTH, 'GET', '/figures/inspection')).body;
    expect(api.rows.map((row: { key: string }) => row.key)).toEqual([HEALTH]);
    const region = page.getByRole('region', { name: '按部门统计（任务按摇号日期、结果按录入日期）' });
    await expect(region.getByRole('row').count()).resolves.toBe(2); // the header and its own row
    await expect(region.getByRole('row', { name: new RegExp(`^${HEALTH} `) }).count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'inspection-figures-department.png'), fullPage: true });
  });
});
