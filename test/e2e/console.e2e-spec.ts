import { join } from 'node:path';
import { Browser, Download, Page } from 'playwright-core';
import { GatewayProcess, REPO_ROOT, TEST_CLIENTS, TestSystem, testUscc, waitFor } from '@backbone/testing';
import { consolePage, EXPORTS, launchChromium, SCREENSHOTS, xlsxRows } from './browser/chromium';

const SAMR = '320700-SAMR';
const OPS = 'PLATFORM-OPS';
const POISONED = testUscc(8_800_003);
const AXE = join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** The browser's globals in code evaluated in the page (the tests are compiled without the DOM types). */
type Dom = any;

/**
 * The operators' console in a real browser (Debian's chromium, headless, driven by playwright-core)
 * against approval, supervision and the console as separate processes on real Kafka and PostgreSQL.
 * Each step asserts what the page shows against the console's REST API, and writes a screenshot.
 */
describe('the console in a browser', () => {
  let system: TestSystem;
  let gateway: GatewayProcess;
  let browser: Browser;
  let page: Page;
  const approvals: string[] = [];

  const consoleApi = (department: keyof typeof TEST_CLIENTS, path: string, method = 'GET') =>
    system.call('console', department, method, path);
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  async function saved(download: Download, name: string): Promise<string> {
    const file = join(EXPORTS, name);
    await download.saveAs(file);
    return file;
  }

  /** axe-core's WCAG 2 A and AA rules on the page as it is (the charts are canvases with a role and a name). */
  async function axeViolations(target: Page) {
    if (!(await target.evaluate(() => 'axe' in globalThis))) await target.addScriptTag({ path: AXE });
    return target.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: any[] }> } }).axe;
      const result = await axe.run((globalThis as Dom).document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 3).map((n: { target: string[] }) => n.target.join(' ')) }));
    });
  }

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
    system = await TestSystem.start(['approval', 'supervision', 'console'], { console: { REFRESH_MS: '2000' } });
    browser = await launchChromium();
    page = await consolePage(browser);

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
    await gateway?.stop();
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
    // The claim's confirmation was about the queue: the trail starts without it.
    await expect(page.locator('#status').textContent()).resolves.toBe('');
    const api = (await consoleApi(SAMR, `/trail/${claimed.approvalId}`)).body;
    const items = page.locator('#timeline li');
    await expect(items.count()).resolves.toBe(api.events.length);
    await expect(items.nth(0).textContent()).resolves.toContain('审批决定');
    await expect(items.nth(1).textContent()).resolves.toContain('推送监管任务');
    await expect(items.nth(2).textContent()).resolves.toContain('监管部门认领');
    await shot('trail');
  });

  it('shows every page to the department (overview, overdue, vacuum, enforcement, inspection, health), also on a tablet', async () => {
    await open('overview');
    const api = (await consoleApi(SAMR, '/figures/duty')).body.totals;
    await expect(page.locator('#kpis .kpi', { hasText: '推送任务' }).locator('.value').textContent()).resolves.toBe(String(api.pushed));
    await page.locator('#trend-chart canvas').waitFor();
    await shot('overview-department');
    for (const view of ['overdue', 'vacuum', 'enforcement', 'inspection', 'health']) {
      await open(view);
      await shot(view);
    }
    // What a 1366×768 screen shows without scrolling, and a tablet (820×1180, portrait).
    for (const view of ['overview', 'enforcement']) {
      await open(view);
      await page.screenshot({ path: join(SCREENSHOTS, `${view}-1366x768.png`) });
    }
    await page.setViewportSize({ width: 820, height: 1180 });
    for (const view of ['queue', 'overview', 'enforcement']) {
      await open(view);
      await shot(`${view}-tablet`);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it("paints the first overview with the server's SVG of both charts (the API's figures), then makes them interactive, and disposes the charts a live refresh replaces", async () => {
    const figures = (await consoleApi(OPS, '/figures/overview')).body;
    const signedIn = async (target: Page) => {
      await target.goto(system.service('console').url);
      await target.getByLabel('部门接口密钥').fill(TEST_CLIENTS[OPS]);
      await target.getByRole('button', { name: '登录' }).click();
      await target.locator('main[data-loaded="overview"]').waitFor();
    };
    // The first paint as it is before the chart library runs (the library withheld: the pictures stay).
    const firstPaint = await consolePage(browser);
    try {
      await firstPaint.route('**/assets/echarts.*.js', (route) => route.abort());
      await signedIn(firstPaint);
      await expect(firstPaint.locator('#kpis .kpi', { hasText: '推送任务' }).locator('.value').textContent()).resolves.toBe(
        String(figures.totals.pushed),
      );
      const texts = (selector: string) => firstPaint.locator(`${selector} svg text`).allTextContents();
      const trend = await texts('#trend-chart');
      for (const label of ['推送', '认领', '升级', '监管真空']) expect(trend).toContain(label);
      // The days are labelled counting back from the last (today's figures are the newest): today always.
      expect(trend).toContain(figures.trend.at(-1).day.slice(5));
      const departments = await texts('.chart:not(#trend-chart)');
      for (const label of ['推送', '认领', '超期未认领']) expect(departments).toContain(label);
      for (const row of figures.rows) expect(departments).toContain(row.key);
      // The pictures fill their boxes (1366 px wide page: no overflow, no scaling gap).
      const boxes = await firstPaint
        .locator('.chart')
        .evaluateAll((nodes: Dom[]) =>
          nodes.map((node) => ({ box: node.getBoundingClientRect().width, svg: node.querySelector('svg').getBoundingClientRect().width })),
        );
      expect(boxes).toHaveLength(2);
      for (const { box, svg } of boxes) expect(Math.abs(box - svg)).toBeLessThan(1);
      await expect(firstPaint.locator('.chart canvas').count()).resolves.toBe(0);
      await firstPaint.screenshot({ path: join(SCREENSHOTS, 'overview-first-paint-1366x768.png') });
      await firstPaint.screenshot({ path: join(SCREENSHOTS, 'overview-first-paint.png'), fullPage: true });
    } finally {
      await firstPaint.close();
    }
    // With the library: the pictures are replaced by ECharts charts, whose tooltip answers the pointer.
    const interactive = await consolePage(browser);
    try {
      await signedIn(interactive);
      // (A live refresh that comes before the library has run asks for pictures again; after it, never.)
      await waitFor(
        'both charts interactive',
        async () => (await interactive.locator('.chart svg').count()) === 0 && (await interactive.locator('.chart canvas').count()) >= 2,
      );
      let x = 300;
      await waitFor('the trend chart tooltip', async () => {
        x = x === 300 ? 340 : 300; // a move each time: ECharts answers the pointer moving
        await interactive.locator('#trend-chart').hover({ position: { x, y: 150 } });
        return /推送[\s\S]*认领/.test(await interactive.locator('#trend-chart').innerText());
      });
      await interactive.screenshot({ path: join(SCREENSHOTS, 'overview-interactive-1366x768.png') });
      // A live refresh draws the overview in new boxes: the charts of the old ones are disposed (ECharts
      // would otherwise keep them, two more every refresh, for as long as the page stays open).
      const oldBoxes = await interactive.locator('.chart').elementHandles();
      const refreshedAt = await interactive.locator('main').getAttribute('data-loaded-ms');
      const chartsOf = (boxes: typeof oldBoxes) =>
        Promise.all(boxes.map((box) => box.evaluate((node: Dom) => (globalThis as Dom).echarts.getInstanceByDom(node) !== undefined)));
      await expect(chartsOf(oldBoxes)).resolves.toEqual([true, true]);
      await waitFor('a live refresh with both charts drawn again', async () => {
        if ((await interactive.locator('main').getAttribute('data-loaded-ms')) === refreshedAt) return false;
        const boxes = await interactive.locator('.chart').elementHandles();
        return (await chartsOf(boxes)).filter(Boolean).length === 2;
      });
      await expect(Promise.all(oldBoxes.map((box) => box.evaluate((node: Dom) => node.isConnected)))).resolves.toEqual([false, false]);
      await expect(chartsOf(oldBoxes)).resolves.toEqual([false, false]);
    } finally {
      await interactive.close();
    }
  });

  it('offers on each page only the filters its figures apply, and the API refuses the others by name', async () => {
    const enabled = () =>
      page.$$eval('#filters input[name]', (inputs) =>
        (inputs as unknown as Array<{ name: string; disabled: boolean }>).filter((input) => !input.disabled).map((input) => input.name),
      );
    await open('overview');
    expect(await enabled()).toEqual(['from', 'to', 'regionCode', 'department', 'itemCode']);
    await expect(page.locator('#filters-note').textContent()).resolves.toBe('');
    await open('enforcement');
    expect(await enabled()).toEqual(['from', 'to', 'department']);
    // The department field is hidden for a department (it sees its own): the note names only what it can see.
    await expect(page.locator('#filters-note').textContent()).resolves.toBe('本页不按行政区划代码、监管事项编码筛选');
    await shot('enforcement-filters');
    await open('overdue');
    expect(await enabled()).toEqual(['regionCode', 'department', 'itemCode']);
    await open('health');
    expect(await enabled()).toEqual([]);
    await expect(page.locator('#filters-note').textContent()).resolves.toBe('本页不使用筛选条件');
    // What the page does not send, the API does not take silently either.
    for (const path of ['/figures/enforcement?regionCode=320703', '/figures/inspection?itemCode=FOOD-DAILY']) {
      const refused = await consoleApi(SAMR, path);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(path.includes('region') ? 'regionCode' : 'itemCode');
    }
  });

  it('keeps item codes on one line in the per-item table, and exports the table as XLSX with the figures the API gives', async () => {
    await open('overview');
    const region = page.getByRole('region', { name: '各监管事项履职情况' });
    // The page shows the figures of its last refresh (every REFRESH_MS): the export is compared with the API
    // once the table shows what the API answers (a claim of an earlier case may still be on its way).
    type ItemRow = { key: string; pushed: number; claimed: number; claimedWithinDeadline: number };
    let items: ItemRow[] = [];
    await waitFor('the per-item table showing the figures the API gives', async () => {
      items = (await consoleApi(SAMR, '/figures/duty?groupBy=item')).body.rows;
      const shown = (await region.locator('tbody tr').allInnerTexts()).map((text) => text.split('\t').slice(0, 4).join('|'));
      const given = items.map((row) => [row.key, row.pushed, row.claimed, row.claimedWithinDeadline].join('|'));
      return JSON.stringify(shown.sort()) === JSON.stringify(given.sort());
    });
    const food = items.find((row) => row.key === 'FOOD-BUSINESS-LICENCE') as ItemRow;
    expect(food.pushed).toBeGreaterThan(0);
    await expect(region.getByRole('cell', { name: 'FOOD-BUSINESS-LICENCE', exact: true }).count()).resolves.toBe(1);
    // One line box: the code did not wrap at its hyphens. The cell is found and measured in one call of the
    // page: each refresh replaces the tables, and a cell found before one is detached after it, with no
    // line box at all (this step failed so once).
    const lines = await page.evaluate(
      ({ panel, code }) => {
        const document = (globalThis as Dom).document;
        const cells: Dom[] = Array.from(document.querySelectorAll(`section[aria-label="${panel}"] td`));
        const cell = cells.find((td) => td.textContent === code);
        const range = document.createRange();
        range.selectNodeContents(cell);
        return range.getClientRects().length;
      },
      { panel: '各监管事项履职情况', code: 'FOOD-BUSINESS-LICENCE' },
    );
    expect(lines).toBe(1);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      region.getByRole('button', { name: '导出 XLSX：各监管事项履职情况' }).click(),
    ]);
    const rows = xlsxRows(await saved(download, 'items.xlsx'));
    expect(download.suggestedFilename()).toMatch(/^各监管事项履职情况-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(rows[0].slice(0, 4)).toEqual(['监管事项', '推送', '认领', '按期认领']);
    const row = rows.find((each) => each[0] === 'FOOD-BUSINESS-LICENCE') as string[];
    expect(row.slice(1, 4).map(Number)).toEqual([food.pushed, food.claimed, food.claimedWithinDeadline]);
    expect(rows).toHaveLength(1 + items.length);
  });

  it('passes the axe-core WCAG 2 A/AA checks (labels, contrast, names, landmarks) on every page', async () => {
    for (const view of ['overview', 'queue', 'overdue', 'vacuum', 'enforcement', 'inspection', 'health']) {
      await open(view);
      expect({ view, violations: await axeViolations(page) }).toEqual({ view, violations: [] });
    }
  });

  it('is usable by keyboard alone: sign in, move between pages, reach the exports, the focus always visible', async () => {
    const keyboardPage = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    try {
      await keyboardPage.goto(system.service('console').url);
      expect({ view: 'sign-in', violations: await axeViolations(keyboardPage) }).toEqual({ view: 'sign-in', violations: [] });
      const focused = () =>
        keyboardPage.evaluate(() => {
          const window = globalThis as Dom;
          const active = window.document.activeElement;
          return {
            id: (active?.id ?? '') as string,
            text: (active?.textContent?.trim() ?? '') as string,
            outline: (active ? window.getComputedStyle(active).outlineStyle : '') as string,
          };
        });
      const tabTo = async (match: (f: { id: string; text: string }) => boolean, limit = 80) => {
        for (let presses = 0; presses < limit; presses++) {
          await keyboardPage.keyboard.press('Tab');
          const now = await focused();
          if (match(now)) return now;
        }
        throw new Error('not reached by Tab');
      };
      await tabTo((f) => f.id === 'api-key');
      await keyboardPage.keyboard.type(TEST_CLIENTS[SAMR]);
      await keyboardPage.keyboard.press('Enter');
      await keyboardPage.locator('main[data-loaded="queue"]').waitFor();
      const tab = await tabTo((f) => f.text === '执法与信用');
      expect(tab.outline).not.toBe('none');
      await keyboardPage.keyboard.press('Enter');
      await keyboardPage.locator('main[data-loaded="enforcement"]').waitFor();
      const exportButton = await tabTo((f) => f.text === '导出 XLSX');
      expect(exportButton.outline).not.toBe('none');
      await keyboardPage.screenshot({ path: join(SCREENSHOTS, 'keyboard-focus.png') });
    } finally {
      await keyboardPage.close();
    }
  });

  it('works behind the nginx gateway at /console/: sign-in, the enforcement page, an XLSX export', async () => {
    gateway = await GatewayProcess.start({ console: system.service('console').url });
    const viaGateway = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    try {
      await viaGateway.goto(`${gateway.url}/console/`);
      await viaGateway.getByLabel('部门接口密钥').fill(TEST_CLIENTS[OPS]);
      await viaGateway.getByRole('button', { name: '登录' }).click();
      await viaGateway.locator('#who-name', { hasText: OPS }).waitFor();
      await viaGateway.evaluate(() => ((globalThis as Dom).location.hash = '#/enforcement'));
      await viaGateway.locator('main[data-loaded="enforcement"]').waitFor();
      const api = (await (
        await fetch(`${gateway.url}/console/figures/enforcement`, { headers: { 'x-api-key': TEST_CLIENTS[OPS] } })
      ).json()) as {
        legalReviews: { pendingNow: number };
        complaints: { pendingNow: number; pastDeadlineNow: number };
      };
      await viaGateway
        .locator('.kpi', { hasText: '法制审核待审' })
        .locator('.value', { hasText: String(api.legalReviews.pendingNow) })
        .waitFor();
      await viaGateway.screenshot({ path: join(SCREENSHOTS, 'gateway-enforcement.png'), fullPage: true });
      const [download] = await Promise.all([
        viaGateway.waitForEvent('download'),
        viaGateway.getByRole('button', { name: '导出 XLSX：执法与信用办理时效' }).click(),
      ]);
      const rows = xlsxRows(await saved(download, 'gateway-duty.xlsx'));
      expect(rows[0]).toEqual(['事项', '期间内', '期间办结', '其中超期', '当前待办']);
      const complaints = rows.find((row) => row[0].startsWith('投诉举报')) as string[];
      expect(Number(complaints[4])).toBe(api.complaints.pendingNow);
    } finally {
      await viaGateway.close();
    }
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
    // The letter names the event it could not apply (it parsed; its handler kept failing), and the page shows its type.
    expect(letter.eventType).toBe('backbone.approval.decided.v2');
    await page
      .getByRole('row', { name: new RegExp(`^${letter.id} `) })
      .getByRole('cell', { name: '审批决定', exact: true })
      .waitFor();
    // Its kind in the operator's language; the service's own reason kept whole on hover.
    const row = page.getByRole('row', { name: new RegExp(`^${letter.id} `) });
    expect(letter.kind).toBe('failed');
    await row.getByRole('cell', { name: '处理失败（多次重试后）', exact: true }).waitFor();
    expect(letter.reason).toContain('disk full (simulated)');
    expect(await row.locator('span[title]').getAttribute('title')).toBe(letter.reason);
    await shot('health-operator-dead-letter');
    await page.getByRole('button', { name: `重新投递死信 ${letter.id}` }).click();
    await page.locator('#status', { hasText: `死信 ${letter.id} 已重新投递：已处理` }).waitFor();
    const after = (await consoleApi(OPS, `/admin/dead-letters/${letter.id}`)).body;
    expect(after.status).toBe('redriven');
    // The page drawn again: the letter is no longer among the open ones, and no count says otherwise.
    await page.getByRole('button', { name: `重新投递死信 ${letter.id}` }).waitFor({ state: 'detached' });
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
