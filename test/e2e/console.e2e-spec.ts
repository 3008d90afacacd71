import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { REPO_ROOT, TEST_CLIENTS, TestSystem, testUscc, waitFor } from '@backbone/testing';

const SCREENSHOTS = join(REPO_ROOT, '.stack', 'test-results', 'screenshots');
const SAMR = '320700-SAMR';
const OPS = 'PLATFORM-OPS';
const POISONED = testUscc(8_800_003);

/**
 * The operators' console in a real browser (Debian's chromium, headless, driven by playwright-core)
 * against approval, supervision and the console as separate processes on real Kafka and PostgreSQL.
 * Each step asserts what the page shows against the console's REST API, and writes a screenshot.
 */
describe('the console in a browser', () => {
  let system: TestSystem;
  let browser: Browser;
  let page: Page;
  const approvals: string[] = [];

  const consoleApi = (department: keyof typeof TEST_CLIENTS, path: string, method = 'GET') =>
    system.call('console', department, method, path);
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  async function signIn(department: keyof typeof TEST_CLIENTS) {
    await page.goto(system.service('console').url);
    await page.getByLabel('部门接口密钥').fill(TEST_CLIENTS[department]);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#who-name', { hasText: department }).waitFor();
  }

  async function open(view: string) {
    await page.evaluate((hash) => ((globalThis as unknown as { location: { hash: string } }).location.hash = hash), `#/${view}`);
    await page.locator(`main[data-loaded="${view}"]`).waitFor();
  }

  beforeAll(async () => {
    // Debian's chromium (and promtool), installed by the project's own script when missing.
    const tools = spawnSync('bash', [join(REPO_ROOT, 'scripts/test-tools.sh')], { stdio: 'inherit' });
    if (tools.status !== 0) throw new Error('scripts/test-tools.sh failed: chromium is needed for the browser tests');
    mkdirSync(SCREENSHOTS, { recursive: true });
    system = await TestSystem.start(['approval', 'supervision', 'console'], { console: { REFRESH_MS: '2000' } });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });

    // The console cannot apply the approval of POISONED until the cause is removed: it becomes a dead letter.
    const consoleDb = await system.sql('console');
    await consoleDb.query(`
      CREATE FUNCTION refuse_poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.uscc = '${POISONED}' THEN RAISE EXCEPTION 'disk full (simulated)'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_poisoned BEFORE INSERT ON approval_fact FOR EACH ROW EXECUTE FUNCTION refuse_poisoned()`);

    for (const [index, uscc] of [testUscc(8_800_001), testUscc(8_800_002), POISONED].entries()) {
      const decided = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', {
        applicationNumber: `CONSOLE-${index}`,
        uscc,
        entityName: `连云港控制台测试${index + 1}号餐饮有限公司`,
        itemCode: 'FOOD-BUSINESS-LICENCE',
        regionCode: '320703',
        kind: 'licence',
        outcome: 'granted',
        licenceNumber: `JY1320703100${index}`,
      });
      expect(decided.status).toBe(201);
      approvals.push(decided.body.id);
    }
    // Three tasks (supervision routed all three), the poisoned one without its approval's facts yet.
    await waitFor('three tasks in the console queue', async () => {
      const queue = await consoleApi(SAMR, '/queue?status=assigned');
      return queue.body.items?.length === 3;
    });
    await waitFor('the poisoned approval as a dead letter', async () => {
      const letters = await consoleApi(OPS, '/admin/dead-letters?status=open');
      return letters.body.length === 1;
    });
    await consoleDb.query(`DROP TRIGGER refuse_poisoned ON approval_fact`);
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('signs a department in and shows its own queue, as the API lists it', async () => {
    await signIn(SAMR);
    await page.locator('main[data-loaded="queue"]').waitFor();
    const api = await consoleApi(SAMR, '/queue?status=assigned');
    expect(api.body.items).toHaveLength(3);
    for (const item of api.body.items)
      await page
        .getByRole('cell', { name: item.entityName ?? item.uscc })
        .first()
        .waitFor();
    await expect(page.getByRole('heading', { name: `部门工作台 · ${SAMR}` }).count()).resolves.toBe(1);
    await shot('queue-department');
  });

  it('claims a task and shows the claimed figure change', async () => {
    const before = (await consoleApi(SAMR, '/figures/duty')).body.totals.claimed;
    const claimedKpi = page.locator('#queue-kpis .kpi', { hasText: '已认领' }).locator('.value');
    await expect(claimedKpi.textContent()).resolves.toBe(String(before));
    const first = (await consoleApi(SAMR, '/queue?status=assigned')).body.items.find(
      (item: { entityName: string | null }) => item.entityName,
    );
    await page.getByLabel(`承办人（${first.entityName}）`).fill('王芳');
    const row = page.getByRole('row', { name: new RegExp(first.entityName) });
    await row.getByRole('button', { name: '认领' }).click();
    await page.locator('#status', { hasText: '已认领' }).waitFor();
    await claimedKpi.filter({ hasText: String(before + 1) }).waitFor({ timeout: 60_000 });
    const after = (await consoleApi(SAMR, '/figures/duty')).body.totals;
    expect(after.claimed).toBe(before + 1);
    await shot('queue-after-claim');
  });

  it("opens an approval's trail as a timeline across the services", async () => {
    const claimed = (await consoleApi(SAMR, '/queue?status=claimed')).body.items[0];
    await page
      .getByRole('row', { name: new RegExp(claimed.entityName) })
      .getByRole('link', { name: '轨迹' })
      .first()
      .click();
    await page.locator('main[data-loaded="trail"]').waitFor();
    const api = (await consoleApi(SAMR, `/trail/${claimed.approvalId}`)).body;
    const items = page.locator('#timeline li');
    await expect(items.count()).resolves.toBe(api.events.length);
    await expect(items.nth(0).textContent()).resolves.toContain('审批决定');
    await expect(items.nth(1).textContent()).resolves.toContain('推送监管任务');
    await expect(items.nth(2).textContent()).resolves.toContain('监管部门认领');
    await shot('trail');
  });

  it('shows every page to the department (overview, overdue, vacuum, enforcement, health), also on a tablet', async () => {
    await open('overview');
    const api = (await consoleApi(SAMR, '/figures/duty')).body.totals;
    await expect(page.locator('#kpis .kpi', { hasText: '推送任务' }).locator('.value').textContent()).resolves.toBe(String(api.pushed));
    await page.locator('#trend-chart canvas').waitFor();
    await shot('overview-department');
    for (const view of ['overdue', 'vacuum', 'enforcement', 'health']) {
      await open(view);
      await shot(view);
    }
    await page.setViewportSize({ width: 820, height: 1180 });
    await open('queue');
    await shot('queue-tablet');
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('signs an operator in, who re-drives a dead letter from the health page', async () => {
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByLabel('部门接口密钥').waitFor();
    await signIn(OPS);
    await open('overview');
    await shot('overview');
    await open('health');
    const [letter] = (await consoleApi(OPS, '/admin/dead-letters?status=open')).body;
    await page.getByRole('button', { name: `重新投递死信 ${letter.id}` }).waitFor();
    await shot('health-operator-dead-letter');
    await page.getByRole('button', { name: `重新投递死信 ${letter.id}` }).click();
    await page.locator('#status', { hasText: `死信 ${letter.id} 已重新投递：applied` }).waitFor();
    const after = (await consoleApi(OPS, `/admin/dead-letters/${letter.id}`)).body;
    expect(after.status).toBe('redriven');
    // the re-driven approval is in the read model now: its trail answers
    expect((await consoleApi(OPS, `/trail/${approvals[2]}`)).status).toBe(200);
    await shot('health-operator');
  });

  it('shows an active risk warning at the top of the notified department’s queue, and not after its lift', async () => {
    const raised = await system.call('supervision', SAMR, 'POST', '/risk-warnings', {
      reference: 'LYG-YJ-CONSOLE',
      level: 'orange',
      title: '夏季餐饮食品安全风险预警',
      endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      scope: { regionPrefixes: ['320703'], licenceItemCodes: ['FOOD-BUSINESS-LICENCE'] },
      concerns: ['高温天气凉菜制售'],
      measures: ['加密抽查'],
    });
    expect(raised.status).toBe(201);
    await waitFor('the warning in the console', async () => (await consoleApi(SAMR, '/queue/risk-warnings')).body.warnings?.length === 1);
    await page.getByRole('button', { name: '退出' }).click(); // the operator of the test before
    await signIn(SAMR);
    await open('queue');
    await page.getByRole('cell', { name: '夏季餐饮食品安全风险预警' }).waitFor();
    await page.getByRole('cell', { name: '橙色预警' }).waitFor();
    await shot('queue-risk-warning');
    expect((await system.call('supervision', SAMR, 'POST', `/risk-warnings/${raised.body.id}/lift`, {})).status).toBe(200);
    await waitFor('the lift in the console', async () => (await consoleApi(SAMR, '/queue/risk-warnings')).body.warnings?.length === 0);
    await open('overview');
    await open('queue');
    await expect(page.getByRole('cell', { name: '夏季餐饮食品安全风险预警' }).count()).resolves.toBe(0);
  });
});
