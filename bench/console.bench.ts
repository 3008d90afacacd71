/**
 * The console's first page with 100,000 approvals in its read model.
 *
 *   npm run bench:console      (builds, then runs dist/bench/console.bench.js)
 *
 * The console runs as its own process on a fresh test database. Its read model is filled in bulk with
 * BENCH_APPROVALS (100,000) approvals' worth of rows, all decided in the last 30 days (the overview's
 * default period, so every row counts): approval facts, task assignments (some re-routed, reminded,
 * escalated, returned, closed; most claimed), supervision-vacuum approvals, the loop events of each
 * approval (the trail), enforcement cases, credit records, and the per-day figures the projection keeps.
 * Then it measures:
 *   - the API: GET /figures/duty (per department) and ?groupBy=item, as the overview calls them;
 *   - the page: headless Chromium (Debian's chromium, playwright-core), signed in as an operator, from
 *     navigation to the overview's figures, trend and per-department table rendered.
 * Figures only, no assertions of speed (the aim is under 1 s); exits non-zero if anything fails.
 */
import { cpus, loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { TEST_CLIENTS, TestSystem } from '@backbone/testing';

const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const OPS = 'PLATFORM-OPS';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

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
  `INSERT INTO vacuum_approval (approval_id, uscc, item_code, region_code, reason, unrouted_at, routed_at, routed_department)
     SELECT approval_id, uscc, item_code, region_code, 'no catalog entry', decided_at,
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

async function main() {
  const started = Date.now();
  console.log(
    `console bench: ${APPROVALS.toLocaleString('en')} approvals, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const system = await TestSystem.start(['console'], { console: { LOG_LEVEL: 'warn' } });
  let failed = false;
  try {
    const db = await system.sql('console');
    const fillStart = Date.now();
    for (const statement of FILL(APPROVALS)) await db.query(statement);
    await db.query('ANALYZE');
    const counts = (
      await db.query(`SELECT (SELECT count(*) FROM approval_fact)::int AS approvals, (SELECT count(*) FROM task_assignment)::int AS assignments,
        (SELECT count(*) FROM vacuum_approval)::int AS vacuum, (SELECT count(*) FROM loop_event)::int AS events,
        (SELECT count(*) FROM enforcement_case)::int AS cases, (SELECT count(*) FROM entity_credit)::int AS entities`)
    ).rows[0];
    console.log(`read model filled in ${((Date.now() - fillStart) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);

    // The API, as the overview calls it (both figure sets), after one warm-up call each.
    const url = system.service('console').url;
    const timeCall = async (path: string) => {
      const t0 = performance.now();
      const response = await fetch(`${url}${path}`, { headers: { 'x-api-key': TEST_CLIENTS[OPS] } });
      const body = (await response.json()) as any;
      if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t0, body };
    };
    const first = await timeCall('/figures/duty');
    console.log(
      `first call /figures/duty (cold): ${ms(first.ms)}; totals pushed ${first.body.totals.pushed}, claimed ${first.body.totals.claimed}`,
    );
    await timeCall('/figures/duty?groupBy=item');
    const api: Record<string, number[]> = { '/figures/duty': [], '/figures/duty?groupBy=item': [], '/figures/enforcement': [] };
    for (let run = 0; run < RUNS; run++) for (const path of Object.keys(api)) api[path].push((await timeCall(path)).ms);

    // The page: signed in once, then the overview loaded afresh (a reload) RUNS times.
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    const pageTimes: number[] = [];
    const figureTimes: number[] = [];
    const breakdown: Record<string, Array<[number, number]>> = {};
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      await page.goto(url);
      await page.getByLabel('部门接口密钥').fill(TEST_CLIENTS[OPS]);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('main[data-loaded="overview"]').waitFor({ timeout: 60_000 });
      for (let run = 0; run < RUNS; run++) {
        const t0 = performance.now();
        await page.reload();
        await page.locator('main[data-loaded="overview"] #kpis').waitFor({ timeout: 60_000 });
        await page.locator('main[data-loaded="overview"] table tbody tr').first().waitFor({ timeout: 60_000 });
        await page.locator('main[data-loaded="overview"] #trend-chart canvas').waitFor({ timeout: 60_000 });
        pageTimes.push(performance.now() - t0);
        // The page's own clock: navigation start to the figures in the DOM.
        figureTimes.push(Number(await page.locator('main').getAttribute('data-loaded-ms')));
        const entries: Array<{ name: string; startTime: number; responseEnd: number }> = JSON.parse(
          await page.evaluate(
            'JSON.stringify(performance.getEntriesByType("resource").map((e) => ({ name: e.name, startTime: e.startTime, responseEnd: e.responseEnd })))',
          ),
        );
        for (const entry of entries) {
          const name = new URL(entry.name).pathname + (new URL(entry.name).search.includes('groupBy') ? '?groupBy=item' : '');
          (breakdown[name] ??= []).push([entry.startTime, entry.responseEnd]);
        }
      }
    } finally {
      await browser.close();
    }

    console.log('');
    console.log('| measure | median | p90 | max |');
    console.log('|---|---|---|---|');
    for (const [path, values] of Object.entries(api))
      console.log(`| API GET ${path} | ${ms(quantile(values, 0.5))} | ${ms(quantile(values, 0.9))} | ${ms(Math.max(...values))} |`);
    console.log(
      `| page: reload → figures, department table and trend chart drawn | ${ms(quantile(pageTimes, 0.5))} | ${ms(quantile(pageTimes, 0.9))} | ${ms(Math.max(...pageTimes))} |`,
    );
    if (figureTimes.every((value) => Number.isFinite(value)))
      console.log(
        `| page's own clock: navigation start → figures rendered | ${ms(quantile(figureTimes, 0.5))} | ${ms(quantile(figureTimes, 0.9))} | ${ms(Math.max(...figureTimes))} |`,
      );
    console.log('\nwhere the page spends it (median ms since navigation start: request sent → response received):');
    for (const [name, spans] of Object.entries(breakdown))
      console.log(
        `  ${name}: ${quantile(
          spans.map((span) => span[0]),
          0.5,
        ).toFixed(0)} → ${quantile(
          spans.map((span) => span[1]),
          0.5,
        ).toFixed(0)}`,
      );
    console.log(
      `\n${RUNS} runs each; aim: the first page under 1 s. Load now ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}.`,
    );
  } catch (error) {
    failed = true;
    console.error('console bench failed:', error);
  } finally {
    await system.stop();
    console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  process.exit(failed ? 1 : 0);
}

void main();
