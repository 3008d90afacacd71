/**
 * The console's first page with 100,000 approvals in its read model, and where its time goes.
 *
 *   npm run bench:console      (builds, then runs dist/bench/console.bench.js)
 *
 * Where it runs (no TEST_* variables needed):
 *   - TEST_KAFKA_BROKERS and TEST_DATABASE_URL set: on that stack;
 *   - else, when PostgreSQL (backbone/backbone) answers on 127.0.0.1:5432 and Kafka on 127.0.0.1:9092
 *     (`npm start`, `deploy/local/stack.sh up`, or another checkout's stack): on that running stack;
 *   - else on a stack of its own: deploy/local/stack.sh with STACK_DIR=<repo>/.stack/console-bench and
 *     ports BENCH_PG_PORT (25442), BENCH_KAFKA_PORT (29192), BENCH_KAFKA_CONTROLLER_PORT (29193),
 *     BENCH_KAFKA_SASL_PORT (29194, the stack's SASL_SSL listener, unused here), stopped
 *     at the end if this run started it (BENCH_KEEP_STACK=1 leaves it running for the next run);
 *     BENCH_OWN_STACK=1 takes this one even when a running stack answers.
 * It only ever creates its own test_… database and Kafka namespace, and drops them at the end.
 *
 * The console runs as its own process. Its read model is filled in bulk with BENCH_APPROVALS (100,000)
 * approvals' worth of rows, all decided in the last 30 days (the overview's default period, so every row
 * counts): approval facts, task assignments (some re-routed, reminded, escalated, returned, closed; most
 * claimed), supervision-vacuum approvals, the loop events of each approval (the trail), enforcement
 * cases, credit records, and the per-day figures the projection keeps. Then it measures:
 *   - the API: GET /figures/overview (what the page asks), /figures/duty per department and per item,
 *     /figures/enforcement; with the server's own time per query (its Server-Timing header);
 *   - the page: headless Chromium (Debian's chromium, playwright-core) at 1366×768, signed in as an
 *     operator, the overview reloaded BENCH_RUNS (15) times with a warm cache, and loaded BENCH_COLD_RUNS
 *     (5) times in a fresh browser context (empty cache, sign-in key only): from navigation to the
 *     numbers, the tables and both charts drawn (the server's SVG of the first paint, or ECharts), and on
 *     to both charts interactive (ECharts in place); with the page's own performance marks, each
 *     request's timing and size, and the server's time per query, so the breakdown says where the time goes.
 *   - BENCH_COMPARE_PAGE=<another build's dist/services/console/web/index.html>: the empty-cache loads
 *     are then made BENCH_COLD_RUNS times with each page, alternating load by load on the same console,
 *     both pages handed to the browser the same way (intercepted, uncompressed); printed side by side.
 * It prints the baseline (the same bench before ADR 0045) beside it. Figures only, no assertions of
 * speed (the aim is under 1 s); exits non-zero if anything fails.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { chromium, Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, REPO_ROOT, TEST_CLIENTS, TestSystem } from '@backbone/testing';

const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 100_000);
const SCREENSHOT = join(REPO_ROOT, '.stack', 'test-results', 'screenshots', `overview-${APPROVALS}-approvals.png`);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const COMPARE_PAGE = process.env.BENCH_COMPARE_PAGE;
const OPS = 'PLATFORM-OPS';

const DEPARTMENTS = [
  '320700-SAMR',
  '320700-HEALTH',
  '320700-HOUSING',
  '320700-MPA',
  '320700-EDU',
  '320700-TRANSPORT',
  '320700-AGRI',
  '320700-ENV',
  '320700-CULTURE',
  '320700-WATER',
  '320700-EMERGENCY',
  '320700-COMMERCE',
];

const DEPARTMENT_ARRAY = `ARRAY[${DEPARTMENTS.map((d) => `'${d}'`).join(',')}]`;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (value: number) => `${value.toFixed(0)} ms`;

/** The read model, filled in SQL (deterministic: every choice is a hash of the approval's number). */
const FILL = (n: number) => [
  `CREATE TEMP TABLE bench_approval AS
     SELECT i, md5('approval' || i)::uuid AS approval_id, 'corr-' || i AS correlation_id,
       '9132070' || lpad(i::text, 10, '0') || 'X' AS uscc,
       'ITEM-' || lpad((mod(i * 7, 40))::text, 3, '0') AS item_code,
       (ARRAY['320703','320706','320707','320722','320723','320724'])[1 + mod(i, 6)] AS region_code,
       (${DEPARTMENT_ARRAY})[1 + mod(i * 5, ${DEPARTMENTS.length})] AS approver,
       (${DEPARTMENT_ARRAY})[1 + mod(i * 11, ${DEPARTMENTS.length})] AS regulator,
       now() - mod(i * 7919, 29 * 86400) * interval '1 second' AS decided_at,
       mod(i * 104729, 1000) AS r
     FROM generate_series(1::bigint, ${n}) AS i`,
  `INSERT INTO approval_fact (approval_id, correlation_id, uscc, entity_name, item_code, region_code, approver_department, kind, outcome, decided_at, version)
     SELECT approval_id, correlation_id, uscc, '基准企业' || i, item_code, region_code, approver, 'licence', 'granted', decided_at, 1 FROM bench_approval`,
  // 3 % unrouted (a third of them routed later); the rest assigned, 4 % re-routed once.
  `INSERT INTO vacuum_approval (approval_id, uscc, item_code, region_code, approver_department, reason, unrouted_at, routed_at, routed_department)
     SELECT approval_id, uscc, item_code, region_code, approver, 'no catalog entry', decided_at,
       CASE WHEN r < 10 THEN decided_at + interval '2 days' END, CASE WHEN r < 10 THEN regulator END
     FROM bench_approval WHERE r < 30`,
  `INSERT INTO task_assignment (task_id, seq, approval_id, uscc, item_code, department, routing_rule, assigned_at, claim_deadline, status,
       claimed_at, claim_handler, claim_working_hours, reminded_at, escalated_at, returned_at, return_reason, closed_at, current)
     SELECT md5('task' || i)::uuid, 1, approval_id, uscc, item_code, regulator, 'separated', decided_at, decided_at + interval '3 days',
       CASE WHEN r >= 990 THEN 'moved' WHEN r >= 970 THEN 'returned' WHEN r >= 850 THEN 'assigned' WHEN r < 330 THEN 'closed' ELSE 'claimed' END,
       CASE WHEN r < 850 THEN decided_at + mod(i, 70) * interval '1 hour' END, CASE WHEN r < 850 THEN '经办人' || mod(i, 50) END,
       CASE WHEN r < 850 THEN mod(i * 13, 400) / 10.0 END,
       CASE WHEN r >= 800 THEN decided_at + interval '2 days' END, CASE WHEN r >= 900 AND r < 970 THEN decided_at + interval '3 days' END,
       CASE WHEN r >= 970 AND r < 990 THEN decided_at + interval '1 day' END, CASE WHEN r >= 970 AND r < 990 THEN '不属于本部门职责' END,
       CASE WHEN r < 330 THEN decided_at + interval '5 days' END, r < 990
     FROM bench_approval WHERE r >= 30`,
  `INSERT INTO task_assignment (task_id, seq, approval_id, uscc, item_code, department, routing_rule, assigned_at, claim_deadline, status,
       claimed_at, claim_handler, claim_working_hours, current)
     SELECT md5('task' || i)::uuid, 2, approval_id, uscc, item_code, approver, 'integrated', decided_at + interval '1 day',
       decided_at + interval '4 days', 'claimed', decided_at + interval '30 hours', '经办人', 6.5, true
     FROM bench_approval WHERE r >= 990`,
  // The trail: decided, assigned and (most) claimed events of every approval.
  `INSERT INTO loop_event (event_id, event_type, source, subject, correlation_id, occurred_at, data)
     SELECT 'e-' || kind || '-' || i, 'backbone.' || kind || '.v1', '/bench', uscc, correlation_id, decided_at,
       jsonb_build_object('approvalId', approval_id, 'uscc', uscc, 'itemCode', item_code, 'department', regulator)
     FROM bench_approval, unnest(ARRAY['approval.decided', 'supervision.task-assigned', 'supervision.task-claimed']) AS kind
     WHERE kind <> 'supervision.task-claimed' OR r < 850`,
  `INSERT INTO enforcement_case (case_id, uscc, department, source, approval_id, opened_at, decided_at, penalty_kinds, closed_at, outcome)
     SELECT md5('case' || i)::uuid, uscc, regulator, (ARRAY['inspection','manual','unlicensed_clue','transfer'])[1 + mod(i, 4)], approval_id,
       decided_at + interval '6 days', CASE WHEN mod(i, 3) > 0 THEN decided_at + interval '9 days' END,
       CASE WHEN mod(i, 3) = 1 THEN ARRAY['fine'] WHEN mod(i, 3) = 2 THEN ARRAY['warning'] ELSE '{}' END,
       CASE WHEN mod(i, 5) = 0 THEN decided_at + interval '12 days' END, CASE WHEN mod(i, 5) = 0 THEN 'decided' END
     FROM bench_approval WHERE mod(i, 20) = 0`,
  `INSERT INTO entity_credit (uscc, tier, lists, measures, changed_at)
     SELECT uscc, (ARRAY['A','B','C','D'])[1 + mod(i, 4)], CASE WHEN mod(i, 4) = 3 THEN ARRAY['blacklist'] ELSE '{}' END, '{}', decided_at
     FROM bench_approval WHERE mod(i, 2) = 0`,
];

// ------------------------------------------------------------------------------------------ the stack

const OWN_STACK = {
  STACK_DIR: join(REPO_ROOT, '.stack', 'console-bench'),
  PG_PORT: process.env.BENCH_PG_PORT || '25442',
  KAFKA_PORT: process.env.BENCH_KAFKA_PORT || '29192',
  KAFKA_CONTROLLER_PORT: process.env.BENCH_KAFKA_CONTROLLER_PORT || '29193',
  KAFKA_SASL_PORT: process.env.BENCH_KAFKA_SASL_PORT || '29194',
};

function stack(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'bash',
      [join(REPO_ROOT, 'deploy/local/stack.sh'), ...args],
      { env: { ...process.env, ...OWN_STACK }, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`stack.sh ${args.join(' ')} failed: ${stderr || error.message}`)) : resolve(stdout),
    ),
  );
}

const portAnswers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = new Socket();
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => done(true));
  });

async function postgresAnswers(port: number): Promise<boolean> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: 'backbone',
    password: 'backbone',
    database: 'postgres',
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Sets TEST_* for TestSystem: the given stack, a running local one, or one of its own (see the header). */
async function benchStack(): Promise<{ how: string; stop?: () => Promise<unknown> }> {
  if (process.env.TEST_KAFKA_BROKERS && process.env.TEST_DATABASE_URL)
    return {
      how: `the stack in TEST_* (Kafka ${process.env.TEST_KAFKA_BROKERS}, PostgreSQL ${new URL(process.env.TEST_DATABASE_URL).host})`,
    };
  const use = (pg: string, kafka: string) => {
    process.env.TEST_KAFKA_BROKERS = `127.0.0.1:${kafka}`;
    process.env.TEST_DATABASE_URL = `postgres://backbone:backbone@127.0.0.1:${pg}/postgres`;
  };
  if (process.env.BENCH_OWN_STACK !== '1' && (await postgresAnswers(5432)) && (await portAnswers(9092))) {
    use('5432', '9092');
    return { how: 'the running local stack (PostgreSQL 127.0.0.1:5432, Kafka 127.0.0.1:9092)' };
  }
  const running = await stack('status').then(
    () => true,
    () => false,
  );
  if (!running) {
    console.log(`starting a stack of its own in ${OWN_STACK.STACK_DIR} (PostgreSQL ${OWN_STACK.PG_PORT}, Kafka ${OWN_STACK.KAFKA_PORT})…`);
    await stack('up');
  }
  use(OWN_STACK.PG_PORT, OWN_STACK.KAFKA_PORT);
  return {
    how: `its own stack (PostgreSQL 127.0.0.1:${OWN_STACK.PG_PORT}, Kafka 127.0.0.1:${OWN_STACK.KAFKA_PORT}; ${running ? 'already running' : 'started now'})`,
    stop: running || process.env.BENCH_KEEP_STACK === '1' ? undefined : () => stack('down'),
  };
}

// ------------------------------------------------------------------------------------------ the page

/** What the page says about one load: its marks, paints and requests (relative to navigation start). */
interface PageLoad {
  wall: number;
  /** Navigation → both charts interactive (ECharts' canvases in place of the first paint's pictures). */
  interactive: number;
  marks: Record<string, number>;
  html: number;
  resources: Array<{
    name: string;
    start: number;
    end: number;
    transfer: number;
    encoded: number;
    decoded: number;
    server: Record<string, number>;
  }>;
}

const LOAD_REPORT = `JSON.stringify({
  marks: Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
  paint: Object.fromEntries(performance.getEntriesByType('paint').map((p) => [p.name, p.startTime])),
  html: performance.getEntriesByType('navigation')[0].responseEnd,
  resources: performance.getEntriesByType('resource').map((e) => ({
    name: e.name, start: e.startTime, end: e.responseEnd, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize,
    server: Object.fromEntries((e.serverTiming || []).map((t) => [t.name, t.duration])),
  })),
})`;

/**
 * The numbers, the tables and both charts drawn (the server's pictures, svg, or ECharts' canvases),
 * looked for in one check polled every 20 ms: a page busy with long tasks (making its charts
 * interactive) answers each look late, and four looks in a row added that delay four times.
 */
const DRAWN = `(() => {
  const main = document.querySelector('main[data-loaded="overview"]');
  const charts = main ? [...main.querySelectorAll('.chart')] : [];
  return !!main && !!main.querySelector('#kpis') && !!main.querySelector('table tbody tr') && charts.length === 2 &&
    charts.every((chart) => chart.querySelector(${JSON.stringify(':scope > svg, canvas')}));
})()`;
const INTERACTIVE = `[...document.querySelectorAll('main[data-loaded="overview"] .chart')].filter((chart) => chart.querySelector('canvas')).length === 2`;

async function overviewDrawn(page: Page) {
  await page.waitForFunction(DRAWN, undefined, { polling: 20, timeout: 60_000 });
}

/** Both charts are ECharts instances (canvases), so tooltips, legend toggles and resizing work. */
async function overviewInteractive(page: Page) {
  await page.waitForFunction(INTERACTIVE, undefined, { polling: 20, timeout: 60_000 });
}

async function pageLoad(page: Page, t0: number): Promise<PageLoad> {
  await overviewDrawn(page);
  const wall = performance.now() - t0;
  await overviewInteractive(page);
  const interactive = performance.now() - t0;
  const report = JSON.parse(await page.evaluate(LOAD_REPORT)) as Omit<PageLoad, 'wall'> & { paint: Record<string, number> };
  return {
    wall,
    interactive,
    html: report.html,
    marks: { ...report.marks, 'first-contentful-paint': report.paint['first-contentful-paint'] },
    resources: report.resources.map((r) => ({ ...r, name: new URL(r.name).pathname.replace(/\.[0-9a-f]{12}\./, '.') })),
  };
}

// ------------------------------------------------------------------------------------------ the figures

const median = (values: number[]) => quantile(values, 0.5);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
const row = (label: string, values: number[]) =>
  values.length === 0 || values.some((value) => !Number.isFinite(value))
    ? `| ${label} | — | — | — |`
    : `| ${label} | ${ms(quantile(values, 0.5))} | ${ms(quantile(values, 0.9))} | ${ms(Math.max(...values))} |`;

/** The same bench before ADR 0045 (commit 3edc811's page and API), on this machine. */
const BASELINE = [
  'baseline, before ADR 0045 (this bench on the same 2-core machine, load 7.8 → 17.2 during the run):',
  '  API GET /figures/duty median 188 ms, ?groupBy=item 142 ms (the page asked both, in parallel; /figures/overview did not exist)',
  '  page: reload → figures, department table and trend chart drawn: median 1450 ms, p90 1917 ms, max 2028 ms',
  "  page's own clock: navigation start → figures rendered: median 1190 ms, p90 1528 ms",
  '  where: app.js and styles revalidated on every load (no-cache, ~75 ms); ECharts common build (705 kB, not compressed)',
  '  executed before app.js; both figure requests answered at ~520 ms; charts drawn before the numbers were painted.',
  'before the amendment of ADR 0045 (ECharts fetched after the figures request; app.js and styles fetched on their own):',
  '  empty cache → numbers, tables and both charts drawn: median 978 / 1,051 / 1,162 ms, p90 1,175-1,235 ms (three runs, quiet machine);',
  '  2,233 ms (p90 2,480) at a load of 1.5 → 9.8. ECharts requested at ~315 ms (quiet), figures answered 462, charts drawn 1,058.',
];

async function main() {
  const started = Date.now();
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const where = await benchStack();
  console.log(`console bench: ${APPROVALS.toLocaleString('en')} approvals, ${cpus().length} cores, load ${load()}; on ${where.how}`);
  let system: TestSystem | undefined;
  let failed = false;
  try {
    system = await TestSystem.start(['console'], { console: { LOG_LEVEL: 'warn' } }, { ownSessions: true }); // ADR 0130
    const db = await system.sql('console');
    const fillStart = Date.now();
    for (const statement of FILL(APPROVALS)) await db.query(statement);
    await db.query('ANALYZE');
    const counts = (
      await db.query(`SELECT (SELECT count(*) FROM approval_fact)::int AS approvals, (SELECT count(*) FROM task_assignment)::int AS assignments,
        (SELECT count(*) FROM vacuum_approval)::int AS vacuum, (SELECT count(*) FROM loop_event)::int AS events,
        (SELECT count(*) FROM enforcement_case)::int AS cases, (SELECT count(*) FROM entity_credit)::int AS entities,
        (SELECT count(*) FROM duty_day)::int AS "dutyDayRows", (SELECT count(*) FROM duty_claim_hours)::int AS "claimHourRows",
        (SELECT count(*) FROM duty_trend)::int AS "trendRows"`)
    ).rows[0];
    console.log(`read model filled in ${((Date.now() - fillStart) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);

    // The API, after one warm-up call each.
    const url = system.service('console').url;
    const timeCall = async (path: string) => {
      const t0 = performance.now();
      const response = await fetch(`${url}${path}`, { headers: { 'x-api-key': TEST_CLIENTS[OPS] } });
      const body = (await response.json()) as any;
      if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(body)}`);
      const server = Object.fromEntries(
        (response.headers.get('server-timing') ?? '')
          .split(',')
          .filter(Boolean)
          .map((entry) => [entry.split(';')[0].trim(), Number(/dur=([\d.]+)/.exec(entry)?.[1])]),
      );
      return { ms: performance.now() - t0, body, server };
    };
    const first = await timeCall('/figures/overview');
    console.log(
      `first call /figures/overview (cold): ${ms(first.ms)}; totals pushed ${first.body.totals.pushed}, claimed ${first.body.totals.claimed}, ` +
        `${first.body.rows.length} departments, ${first.body.byItem.length} items`,
    );
    const paths = ['/figures/overview', '/figures/duty', '/figures/duty?groupBy=item', '/figures/enforcement'];
    for (const path of paths.slice(1)) await timeCall(path);
    const api: Record<string, number[]> = Object.fromEntries(paths.map((path) => [path, []]));
    const serverTotal: Record<string, number[]> = Object.fromEntries(paths.map((path) => [path, []]));
    const queries: Record<string, number[]> = {};
    for (let run = 0; run < RUNS; run++)
      for (const path of paths) {
        const call = await timeCall(path);
        api[path].push(call.ms);
        if (call.server.total !== undefined) serverTotal[path].push(call.server.total);
        if (path === '/figures/overview')
          for (const [name, duration] of Object.entries(call.server)) if (name !== 'total') (queries[name] ??= []).push(duration);
      }

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
    const warm: PageLoad[] = [];
    // The empty-cache loads of each page: this build's as served, or two pages handed over alike (BENCH_COMPARE_PAGE).
    const served = (file: string) => readFileSync(file, 'utf8');
    const pages: Array<{ name: string; html?: string }> = COMPARE_PAGE
      ? [
          { name: `the compared page (${COMPARE_PAGE})`, html: served(COMPARE_PAGE) },
          { name: "this build's page", html: served(join(REPO_ROOT, 'dist', 'services', 'console', 'web', 'index.html')) },
        ]
      : [{ name: "this build's page" }];
    const colds: PageLoad[][] = pages.map(() => []);
    const context = { viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
    try {
      // Warm: signed in once, then the overview loaded afresh (a reload) RUNS times.
      const page = await browser.newPage(context);
      await page.goto(url);
      await page.getByLabel('部门接口密钥').fill(TEST_CLIENTS[OPS]);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('main[data-loaded="overview"]').waitFor({ timeout: 60_000 });
      for (let run = 0; run < RUNS; run++) {
        const t0 = performance.now();
        await page.reload();
        warm.push(await pageLoad(page, t0));
      }
      // What the overview looks like with 100,000 approvals (the README's screenshot is taken from here).
      mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      // Cold: a fresh context each time (empty HTTP cache), the key already given (as after signing in).
      for (let run = 0; run < COLD_RUNS; run++)
        for (const [index, { html }] of pages.entries()) {
          const fresh = await browser.newContext(context);
          await fresh.addInitScript(`sessionStorage.setItem('backbone.console.key', ${JSON.stringify(TEST_CLIENTS[OPS])})`);
          if (html !== undefined)
            await fresh.route(`${url}/`, (route) =>
              route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers: { 'cache-control': 'no-cache' }, body: html }),
            );
          const coldPage = await fresh.newPage();
          const t0 = performance.now();
          await coldPage.goto(`${url}/#/overview`);
          colds[index].push(await pageLoad(coldPage, t0));
          await fresh.close();
        }
    } finally {
      await browser.close();
    }

    const mark = (loads: PageLoad[], name: string) => loads.map((l) => l.marks[name]);
    console.log('');
    console.log('| measure | median | p90 | max |');
    console.log('|---|---|---|---|');
    for (const path of paths) console.log(row(`API GET ${path}`, api[path]));
    for (const path of paths) console.log(row(`  its server time (Server-Timing total)`.replace('its', path), serverTotal[path]));
    console.log(
      row(
        'page, warm cache: reload → numbers, tables and both charts drawn',
        warm.map((l) => l.wall),
      ),
    );
    console.log(row("  page's own clock: navigation start → numbers and tables in the DOM", mark(warm, 'overview:numbers')));
    console.log(row("  page's own clock: navigation start → both charts drawn", mark(warm, 'overview:charts')));
    console.log(row('  first contentful paint', mark(warm, 'first-contentful-paint')));
    console.log(
      row(
        '  reload → both charts interactive (ECharts)',
        warm.map((l) => l.interactive),
      ),
    );
    for (const [index, { name }] of pages.entries()) {
      const cold = colds[index];
      console.log(
        row(
          `page, empty cache (${name}): navigation → numbers, tables and both charts drawn`,
          cold.map((l) => l.wall),
        ),
      );
      console.log(row("  page's own clock: navigation start → numbers and tables in the DOM", mark(cold, 'overview:numbers')));
      console.log(row("  page's own clock: navigation start → both charts drawn", mark(cold, 'overview:charts')));
      console.log(
        row(
          '  navigation → both charts interactive (ECharts)',
          cold.map((l) => l.interactive),
        ),
      );
    }

    const breakdown = (title: string, loads: PageLoad[]) => {
      console.log(`\n${title} (median ms since navigation start):`);
      console.log(`  HTML received: ${median(loads.map((l) => l.html)).toFixed(0)}`);
      const names = [...new Set(loads.flatMap((l) => l.resources.map((r) => r.name)))];
      const events: Array<[number, string]> = [];
      for (const name of names) {
        const spans = loads.flatMap((l) => l.resources.filter((r) => r.name === name));
        const server = Object.keys(spans[0].server);
        const serverText = server.includes('total')
          ? `; server ${median(spans.map((s) => s.server.total)).toFixed(0)} ms (${server
              .filter((n) => n !== 'total')
              .map((n) => `${n} ${median(spans.map((s) => s.server[n])).toFixed(0)}`)
              .join(', ')})`
          : '';
        const sizes = `${kb(median(spans.map((s) => s.transfer)))} transferred, ${kb(median(spans.map((s) => s.decoded)))} decoded`;
        events.push([
          median(spans.map((s) => s.start)),
          `  ${name}: requested ${median(spans.map((s) => s.start)).toFixed(0)} → answered ${median(spans.map((s) => s.end)).toFixed(0)}` +
            ` (${spans.length}/${loads.length} loads; ${sizes}${serverText})`,
        ]);
      }
      for (const name of [
        'app:start',
        'echarts:ready',
        'overview:figures',
        'overview:numbers',
        'first-contentful-paint',
        'overview:charts',
        'overview:interactive',
      ]) {
        const values = mark(loads, name).filter((value) => Number.isFinite(value));
        if (values.length > 0) events.push([median(values), `  mark ${name}: ${median(values).toFixed(0)}`]);
      }
      for (const [, line] of events.sort((a, b) => a[0] - b[0])) console.log(line);
    };
    breakdown('where the page spends it, warm cache', warm);
    for (const [index, { name }] of pages.entries()) breakdown(`where the page spends it, empty cache, ${name}`, colds[index]);
    console.log('\nthe server, per query of GET /figures/overview (median / p90 ms, run in parallel on its pool):');
    for (const [name, values] of Object.entries(queries)) console.log(`  ${name}: ${ms(median(values))} / ${ms(quantile(values, 0.9))}`);
    console.log(`\n${BASELINE.join('\n')}`);
    console.log(`\nthe overview with these figures: ${SCREENSHOT}`);
    console.log(`\n${RUNS} warm runs, ${COLD_RUNS} cold runs; aim: the first page under 1 s. Load now ${load()}.`);
  } catch (error) {
    failed = true;
    console.error('console bench failed:', error);
  } finally {
    await system?.stop().catch((error) => console.error('stopping the console failed:', error));
    await where.stop?.().catch((error) => console.error('stopping the stack failed:', error));
    console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  process.exit(failed ? 1 : 0);
}

void main();
