import { Producer } from 'kafkajs';
import {
  ALL_TOPICS,
  createEnvelope,
  Envelope,
  eventClassOf,
  riskWarningSubject,
  RiskWarningLiftedV1,
  RiskWarningRaisedV1,
} from '@backbone/contracts';
import { InProcessService, waitFor } from '@backbone/testing';
import { expectedInspectionFigures, generateInspectionMonth, InspectionMonth } from '../test/inspection-month.fixture';
import { expectedFigures, generateEnforcement, generateLoopMonth, HEALTH, HOUSING, LoopMonth, SAMR } from '../test/loop-month.fixture';
import { loadConsoleConfig } from './console.config';
import { CONSOLE_SERVICE, ConsoleModule } from './console.module';

const OPS = 'PLATFORM-OPS';
const CLIENTS = {
  [OPS]: 'test-key-platform-operations-001',
  [SAMR]: 'test-key-market-regulator-320700',
  [HEALTH]: 'test-key-health-commission-32070',
  [HOUSING]: 'test-key-housing-construction-3207',
};
const OCTOBER = { from: '2025-10-01', to: '2025-10-31' };
const START = new Date('2025-10-01T00:00:00+08:00');
const END = new Date('2025-11-01T00:00:00+08:00');
const AS_OF = '2025-11-30T00:00:00.000Z';

/**
 * The console's read model against real Kafka and PostgreSQL: a generated month of loop traffic
 * (National Day 2025, its make-up working days) goes through the topics and the inbox; the figures
 * must equal the answers the generator kept, and a redelivery must change nothing.
 */
describe('console read model and figures', () => {
  let service: InProcessService;
  let producer: Producer;
  let month: LoopMonth;
  let enforcement: ReturnType<typeof generateEnforcement>;
  let inspections: InspectionMonth;

  async function send(envelopes: Envelope[]) {
    const byTopic = new Map<string, Envelope[]>();
    for (const envelope of envelopes) {
      const topic = service.topic(eventClassOf(envelope.type)!.topic);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), envelope]);
    }
    await producer.sendBatch({
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((envelope) => ({ key: envelope.subject, value: JSON.stringify(envelope) })),
      })),
    });
  }

  const inbox = async () => Number((await service.dataSource.query(`SELECT count(*) AS n FROM inbox`))[0].n);

  beforeAll(async () => {
    service = await InProcessService.start({
      service: CONSOLE_SERVICE,
      loadConfig: loadConsoleConfig,
      module: (config) => ConsoleModule.forRoot(config),
      clients: CLIENTS,
      env: { OPERATOR_DEPARTMENTS: OPS, SERVICE_URLS: 'approval=http://127.0.0.1:9' },
    });
    producer = service.kafka().producer();
    await producer.connect();
    month = generateLoopMonth();
    enforcement = generateEnforcement();
    inspections = generateInspectionMonth();
    await send([...month.envelopes, ...enforcement.envelopes, ...inspections.envelopes]);
    const total = month.envelopes.length + enforcement.envelopes.length + inspections.envelopes.length;
    await waitFor(`${total} events in the console's inbox`, async () => (await inbox()) === total, { timeoutMs: 120_000, intervalMs: 250 });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await service?.stop();
  });

  const figures = (department: string, query: Record<string, string>) =>
    service.call(department, 'GET', `/figures/duty?${new URLSearchParams({ ...OCTOBER, asOf: AS_OF, ...query })}`);

  it('counts every figure of October per department as the generated traffic says', async () => {
    const { status, body } = await figures(OPS, {});
    expect(status).toBe(200);
    // 31 days less 1–8 October (National Day) and the weekends of 12, 18–19, 25–26 October; Saturday 11 is made up
    expect(body.period).toMatchObject({ from: '2025-10-01', to: '2025-10-31', days: 31, workingDays: 18 });
    const { vacuumOpen, vacuumRouted, ...totals } = body.totals;
    expect(totals).toEqual(expectedFigures(month.assignments, START, END, new Date(AS_OF)));
    for (const department of [SAMR, HEALTH, HOUSING]) {
      const row = body.rows.find((each: { key: string }) => each.key === department);
      const { key: _key, vacuumOpen: _open, vacuumRouted: _routed, ...figuresOfRow } = row;
      expect(figuresOfRow).toEqual(
        expectedFigures(
          month.assignments.filter((a) => a.department === department),
          START,
          END,
          new Date(AS_OF),
        ),
      );
    }
    const vacuumInOctober = month.vacuum.filter((v) => v.unroutedAt >= START && v.unroutedAt < END);
    expect({ vacuumOpen, vacuumRouted }).toEqual({
      vacuumOpen: vacuumInOctober.filter((v) => !v.routedAt).length,
      vacuumRouted: vacuumInOctober.filter((v) => v.routedAt).length,
    });
    // the figures mean something: every outcome occurs
    for (const figure of ['claimed', 'claimedWithinDeadline', 'overdueUnclaimed', 'escalated', 'returned', 'rerouted', 'closed'])
      expect(totals[figure]).toBeGreaterThan(0);
    expect(vacuumOpen).toBeGreaterThan(0);
    expect(vacuumRouted).toBeGreaterThan(0);
  });

  it('answers from the per-day tables (no asOf: now) exactly what the rows say, for every grouping and filter', async () => {
    // AS_OF is after every generated event, so "now" and AS_OF must give the same figures.
    for (const query of [
      {},
      { groupBy: 'item' },
      { regionCode: '320703' },
      { department: HEALTH },
      { itemCode: 'FOOD-BUSINESS-LICENCE' },
    ] as Record<string, string>[]) {
      const rows = await figures(OPS, query);
      const days = await service.call(OPS, 'GET', `/figures/duty?${new URLSearchParams({ ...OCTOBER, ...query })}`);
      expect(days.status).toBe(200);
      expect({ ...days.body, asOf: AS_OF }).toEqual(rows.body);
    }
    const own = await service.call(SAMR, 'GET', `/figures/duty?${new URLSearchParams(OCTOBER)}`);
    expect({ ...own.body, asOf: AS_OF }).toEqual((await figures(SAMR, {})).body);
  });

  it('answers the overview (GET /figures/overview) with exactly the per-department and per-item figures, now and asOf', async () => {
    for (const query of [{}, { regionCode: '320703' }, { department: HEALTH }, { itemCode: 'FOOD-BUSINESS-LICENCE' }] as Record<
      string,
      string
    >[]) {
      for (const at of [{}, { asOf: AS_OF }] as Record<string, string>[]) {
        const params = new URLSearchParams({ ...OCTOBER, ...at, ...query });
        const overview = await service.call(OPS, 'GET', `/figures/overview?${params}`);
        expect(overview.status).toBe(200);
        const byDepartment = await figures(OPS, query);
        const byItem = await figures(OPS, { ...query, groupBy: 'item' });
        const { byItem: itemRows, ...report } = overview.body;
        expect({ ...report, asOf: AS_OF }).toEqual(byDepartment.body);
        expect(itemRows).toEqual(byItem.body.rows);
      }
    }
    const own = await service.call(SAMR, 'GET', `/figures/overview?${new URLSearchParams(OCTOBER)}`);
    const { byItem: ownItems, ...ownReport } = own.body;
    expect({ ...ownReport, asOf: AS_OF }).toEqual((await figures(SAMR, {})).body);
    expect(ownItems).toEqual((await figures(SAMR, { groupBy: 'item' })).body.rows);
    expect((await service.call(SAMR, 'GET', `/figures/overview?department=${HEALTH}`)).status).toBe(403);
    // both figure routes say what each query took (Server-Timing), for the console bench
    for (const route of ['overview', 'duty']) {
      const timed = await fetch(`${service.url}/figures/${route}?${new URLSearchParams(OCTOBER)}`, {
        headers: { 'x-api-key': CLIENTS[OPS] },
      });
      expect(timed.headers.get('server-timing')).toMatch(/^db-[a-z-]+;dur=[\d.]+(, [a-z-]+;dur=[\d.]+)*, total;dur=[\d.]+$/);
    }
  });

  it('marks holidays and make-up working days in the daily trend', async () => {
    const { body } = await figures(OPS, {});
    const day = (d: string) => body.trend.find((each: { day: string }) => each.day === d);
    expect(body.trend).toHaveLength(31);
    expect(day('2025-10-01')).toMatchObject({ workingDay: false }); // National Day
    expect(day('2025-10-08')).toMatchObject({ workingDay: false });
    expect(day('2025-10-11')).toMatchObject({ workingDay: true }); // a Saturday, made up
    expect(day('2025-10-12')).toMatchObject({ workingDay: false });
    const pushedOn = (d: string) =>
      month.assignments.filter((a) => new Date(a.assignedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10) === d).length;
    for (const d of ['2025-10-01', '2025-10-09', '2025-10-11']) expect(day(d).pushed).toBe(pushedOn(d));
    // nothing is claimed on a day off: claims wait for the next working day
    expect(day('2025-10-05').claimed).toBe(0);
    expect(day('2025-10-09').claimed).toBeGreaterThan(3);
  });

  it('counts per item, and filters by region', async () => {
    const byItem = await figures(OPS, { groupBy: 'item' });
    const food = byItem.body.rows.find((row: { key: string }) => row.key === 'FOOD-BUSINESS-LICENCE');
    expect(food.pushed).toBe(
      month.assignments.filter((a) => a.itemCode === 'FOOD-BUSINESS-LICENCE' && a.assignedAt >= START && a.assignedAt < END).length,
    );
    const region = await figures(OPS, { regionCode: '320703' });
    expect(region.body.totals.pushed).toBe(
      month.assignments.filter((a) => a.regionCode === '320703' && a.assignedAt >= START && a.assignedAt < END).length,
    );
  });

  it('shows a department its own figures only; operators all', async () => {
    const own = await figures(SAMR, {});
    expect(own.status).toBe(200);
    expect(own.body.rows.map((row: { key: string }) => row.key)).toEqual([SAMR]);
    expect(own.body.filters).toEqual({ department: SAMR });
    const other = await figures(SAMR, { department: HEALTH });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('OWN_DEPARTMENT_ONLY');
  });

  it('draws the overview charts as SVG on request (charts=svg), from exactly the figures it answers', async () => {
    const params = new URLSearchParams(OCTOBER);
    const plain = await service.call(OPS, 'GET', `/figures/overview?${params}`);
    const drawn = await service.call(OPS, 'GET', `/figures/overview?${params}&charts=svg&chartWidth=1003`);
    expect(drawn.status).toBe(200);
    const { charts, ...figures } = drawn.body;
    expect({ ...figures, asOf: AS_OF }).toEqual({ ...plain.body, asOf: AS_OF });
    expect(plain.body.charts).toBeUndefined();
    // Drawn at the width asked for, rounded to 10 px, and the chart boxes' 300 px high.
    for (const svg of [charts.trend, charts.departments]) {
      expect(svg).toMatch(/^<svg width="1000" height="300" [^>]*viewBox="0 0 1000 300"/);
      expect(svg).not.toMatch(/<script|\son[a-z]+=/i);
    }
    const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    // The trend: its legend, a label for each day of the answer's trend (MM-DD, as the page's chart).
    const trendTexts = texts(charts.trend);
    for (const label of ['推送', '认领', '升级', '监管真空']) expect(trendTexts).toContain(label);
    expect(figures.trend).toHaveLength(31);
    const dayLabels = trendTexts.filter((text) => /^\d{2}-\d{2}$/.test(text));
    expect(dayLabels.length).toBeGreaterThan(0);
    for (const label of dayLabels) expect(figures.trend.map((d: { day: string }) => d.day.slice(5))).toContain(label);
    expect(dayLabels).toContain(figures.trend[0].day.slice(5));
    // The per-department bars: its legend, every department of the answer's rows, a pushed bar for each
    // (drawn even at zero) and the legend's swatch in the same colour.
    const departmentTexts = texts(charts.departments);
    for (const label of ['推送', '认领', '超期未认领']) expect(departmentTexts).toContain(label);
    for (const row of figures.rows) expect(departmentTexts).toContain(row.key);
    const bars = (svg: string, colour: string) => (svg.match(new RegExp(`<path [^>]*fill="${colour}"`, 'g')) ?? []).length;
    expect(bars(charts.departments, '#0b5cad')).toBe(figures.rows.length + 1);
    expect(bars(charts.departments, '#b42318')).toBe(figures.rows.length + 1);
    // The same drawing again comes from the cache, and the time it took is in Server-Timing.
    const again = await fetch(`${service.url}/figures/overview?${params}&charts=svg&chartWidth=1000`, {
      headers: { 'x-api-key': CLIENTS[OPS] },
    });
    expect(((await again.json()) as { charts: unknown }).charts).toEqual(charts);
    expect(again.headers.get('server-timing')).toMatch(/charts-svg;dur=[\d.]+/);
    // A department's own overview: its own figures drawn.
    const own = await service.call(SAMR, 'GET', `/figures/overview?${params}&charts=svg`);
    expect(own.body.charts.departments).toContain(`>${SAMR}</text>`);
    expect(own.body.charts.departments).not.toContain(`>${HEALTH}</text>`);
    expect(own.body.charts.trend).toMatch(/^<svg width="1280" height="300"/);
  });

  it('refuses a bad chart request naming the field', async () => {
    for (const [query, field] of [
      ['charts=png', 'charts'],
      ['charts=svg&chartWidth=wide', 'chartWidth'],
      ['charts=svg&chartWidth=100', 'chartWidth'],
      ['charts=svg&chartWidth=100000', 'chartWidth'],
    ]) {
      const refused = await service.call(OPS, 'GET', `/figures/overview?${query}`);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(`${field}: must be`);
    }
  });

  it('refuses a bad period naming the field, and an unknown grouping', async () => {
    // Well-formed dates in the wrong order: a semantic refusal (422, as the OpenAPI edge now answers).
    const bad = await figures(OPS, { from: '2025-10-31', to: '2025-10-01' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toMatch(/from/);
    const grouping = await figures(OPS, { groupBy: 'colour' });
    expect(grouping.status).toBe(400);
    expect(JSON.stringify(grouping.body)).toMatch(/groupBy/);
  });

  it('pages through a department queue with a cursor, overdue first, no row cap', async () => {
    const overdueTotal = month.assignments.filter((a) => a.department === SAMR && !a.claimedAt && !a.returned && !a.closed).length;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await service.call(
        SAMR,
        'GET',
        `/queue?overdue=true&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      for (const item of page.body.items) {
        expect(item).toMatchObject({ department: SAMR, status: 'assigned', overdue: true });
        seen.push(item.taskId);
      }
      cursor = page.body.next;
    } while (cursor);
    expect(seen).toHaveLength(overdueTotal);
    expect(new Set(seen).size).toBe(overdueTotal);
    expect((await service.call(SAMR, 'GET', '/queue?department=320700-HEALTH')).status).toBe(403);
    expect((await service.call(SAMR, 'GET', '/queue?cursor=nonsense')).status).toBe(422); // not a cursor the server gave
  });

  it('lists the supervision vacuum oldest first, with the catalog entry that would route it', async () => {
    const { body } = await service.call(OPS, 'GET', '/vacuum?limit=500');
    expect(body.items).toHaveLength(month.vacuum.filter((v) => !v.routedAt).length);
    expect(body.items[0].catalogEntryNeeded).toMatchObject({ itemCode: 'NEW-BUSINESS-FORMAT' });
  });

  it("gives an approval's trail across the services in time order", async () => {
    const approvalId = month.approvalIds[3]; // pattern 3: decided, assigned, claimed late
    const { status, body } = await service.call(OPS, 'GET', `/trail/${approvalId}`);
    expect(status).toBe(200);
    expect(body.events.map((event: { type: string }) => event.type)).toEqual([
      'backbone.approval.decided.v2',
      'backbone.supervision.task-assigned.v1',
      'backbone.supervision.task-claimed.v1',
    ]);
    expect(body.events.map((event: { service: string }) => event.service)).toEqual(['approval', 'supervision', 'supervision']);
    expect((await service.call(HOUSING, 'GET', `/trail/${approvalId}`)).status).toBe(403);
  });

  it('counts enforcement cases by source, severity and outcome, and entities per tier and list', async () => {
    const { body } = await service.call(OPS, 'GET', `/figures/enforcement?${new URLSearchParams(OCTOBER)}`);
    const asMap = (rows: { key: string; count: number }[]) => Object.fromEntries(rows.map((row) => [row.key, row.count]));
    const expected = enforcement.expected;
    expect(body.cases.opened).toBe(expected.opened);
    expect(asMap(body.cases.bySource)).toEqual(expected.bySource);
    expect(asMap(body.cases.bySeverity)).toEqual(expected.bySeverity);
    expect(asMap(body.cases.closedByOutcome)).toEqual(expected.closedByOutcome);
    expect(body.cases.openNow).toBe(expected.openNow);
    expect(asMap(body.credit.entitiesByTier)).toEqual(expected.tiers);
    expect(asMap(body.credit.entitiesByList)).toEqual(expected.lists);
  });

  it('counts legal reviews pending, decisions published on time, complaints past their deadline, repairs and objections pending', async () => {
    const query = new URLSearchParams({ ...OCTOBER, asOf: enforcement.asOf.toISOString() });
    const { status, body } = await service.call(OPS, 'GET', `/figures/enforcement?${query}`);
    expect(status).toBe(200);
    const expected = enforcement.expected;
    expect(body.legalReviews).toEqual(expected.legalReviews);
    expect(body.decisions).toEqual(expected.decisions);
    expect(body.complaints).toEqual(expected.complaints);
    expect(body.credit.repairs).toEqual(expected.repairs);
    expect(body.credit.objections).toEqual(expected.objections);

    // A department sees what it handles or filed: HEALTH one complaint not yet due, one objection waiting.
    const own = (await service.call(HEALTH, 'GET', `/figures/enforcement?${query}`)).body;
    expect(own.legalReviews.pendingNow).toBe(0);
    expect(own.complaints).toMatchObject({
      pendingNow: 1,
      pastDeadlineNow: 0,
      waitingByDepartment: [{ key: HEALTH, pending: 1, pastDeadline: 0 }],
    });
    expect(own.credit.repairs.pendingNow).toBe(0);
    expect(own.credit.objections.pendingNow).toBe(1);

    // Judged at 10:35 that day: the second review of case 0 (its case closed at 12:00) and case 1's wait, every
    // complaint waits, no credit request was filed yet.
    const early = (
      await service.call(OPS, 'GET', `/figures/enforcement?${new URLSearchParams({ ...OCTOBER, asOf: '2025-10-15T10:35:00+08:00' })}`)
    ).body;
    expect(early.legalReviews.pendingNow).toBe(2);
    expect(early.complaints).toMatchObject({ pendingNow: 4, pastDeadlineNow: 0 });
    expect(early.credit.repairs.pendingNow + early.credit.objections.pendingNow).toBe(0);
  });

  it('counts random inspections of October (plans, draws, checks by deadline, publication by deadline, strata, coverage) as generated', async () => {
    const inspection = (department: string, query: Record<string, string> = {}) =>
      service.call(department, 'GET', `/figures/inspection?${new URLSearchParams({ ...OCTOBER, asOf: AS_OF, ...query })}`);
    const { status, body } = await inspection(OPS);
    expect(status).toBe(200);
    expect(body.period).toMatchObject({ days: 31, workingDays: 18 });
    const expected = expectedInspectionFigures(inspections, START, END, new Date(AS_OF));
    expect(body.totals).toEqual(expected.totals);
    expect(Object.fromEntries(body.rows.map(({ key, ...row }: { key: string }) => [key, row]))).toEqual(expected.rows);
    expect(body.strata).toEqual(expected.strata);
    expect(body.coverage).toEqual(expected.coverage);
    // the figures mean something: every outcome occurs, and the first round of the task drawn twice does not count
    for (const figure of [
      'plansPublished',
      'checksDoneOnTime',
      'checksOverdue',
      'problems',
      'publishedOnTime',
      'publishedLate',
      'awaitingPastDeadline',
    ])
      expect(body.totals[figure]).toBeGreaterThan(0);
    expect(body.totals.checksDone).toBeGreaterThan(body.totals.checksDoneOnTime);
    expect(body.totals).toMatchObject({ plansPublished: 2, tasks: 3 });

    // Working days: nothing happens on National Day; the make-up Saturday draws; results wait for the holiday's end.
    const day = (d: string) => body.trend.find((each: { day: string }) => each.day === d);
    expect(day('2025-10-05')).toEqual({ day: '2025-10-05', workingDay: false, drawn: 0, checksDone: 0, results: 0, published: 0 });
    expect(day('2025-10-11')).toMatchObject({ workingDay: true, drawn: 9 });
    const recordedOn = (d: string) =>
      inspections.results.filter((r) => new Date(r.recordedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10) === d).length;
    for (const d of ['2025-10-09', '2025-10-10', '2025-10-13']) expect(day(d).results).toBe(recordedOn(d));
    expect(recordedOn('2025-10-10')).toBeGreaterThan(0); // two working days after 30 September
    for (let d = 1; d <= 8; d++) expect(day(`2025-10-0${d}`)).toMatchObject({ workingDay: false, drawn: 0, checksDone: 0, results: 0 });

    // A department sees its own; another department's figures are refused.
    const own = await inspection(HEALTH);
    const expectedOwn = expectedInspectionFigures(inspections, START, END, new Date(AS_OF), HEALTH);
    expect(own.body.totals).toEqual(expectedOwn.totals);
    expect(own.body.rows.map((row: { key: string }) => row.key)).toEqual([HEALTH]);
    expect(own.body.coverage).toEqual(expectedOwn.coverage);
    expect((await inspection(HEALTH, { department: SAMR })).status).toBe(403);
    // Judged on 10 October, no check of the October draws is overdue yet and nothing recorded on 9 October is late.
    const early = await inspection(OPS, { asOf: '2025-10-10T12:00:00+08:00' });
    expect(early.body.totals).toEqual(expectedInspectionFigures(inspections, START, END, new Date('2025-10-10T12:00:00+08:00')).totals);
    expect(early.body.totals.checksOverdue).toBe(0);
  });

  it('shows the random-inspection figures on /metrics, by department', async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    for (const name of ['console_inspection_entities_drawn', 'console_inspection_results', 'console_inspection_results_published_on_time'])
      expect(text).toContain(`# HELP ${name} `);
    expect(text).toMatch(/^console_inspection_results_unpublished_overdue \d+$/m);
  });

  it('applies a redelivered event once: the figures do not move', async () => {
    const before = (await figures(OPS, {})).body.totals;
    const inspectionQuery = `/figures/inspection?${new URLSearchParams({ ...OCTOBER, asOf: AS_OF })}`;
    const inspectionBefore = (await service.call(OPS, 'GET', inspectionQuery)).body;
    const events = Number((await service.dataSource.query(`SELECT count(*) AS n FROM loop_event`))[0].n);
    await send([...month.envelopes.slice(0, 60), ...inspections.envelopes]);
    const marker = generateEnforcement('2025-12-01').envelopes.slice(0, 1);
    await send(marker);
    await waitFor('the marker after the redelivery', async () => (await inbox()) === events + 1, { timeoutMs: 60_000 });
    expect((await figures(OPS, {})).body.totals).toEqual(before);
    expect((await service.call(OPS, 'GET', inspectionQuery)).body).toEqual(inspectionBefore);
  });

  it('reports outbox backlog, open dead letters, HTTP per route and overdue tasks on /metrics', async () => {
    await producer.send({ topic: service.topic(ALL_TOPICS[0]), messages: [{ key: 'x', value: 'not json' }] });
    await waitFor('the dead letter on /metrics', async () => {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      return /^dead_letters_open 1$/m.test(text) && text.includes('outbox_unsent_messages');
    });
    const text = await (await fetch(`${service.url}/metrics`)).text();
    // HTTP per route (the pattern, not the path), and the console's own gauges for the alert rules
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/figures\/duty",status="200"\} \d+$/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/trail\/:approvalId",status="403"\} 1$/m);
    expect(text).toMatch(/^console_overdue_unclaimed_tasks \d+$/m);
  });

  it('shows the active risk warnings notified to a department at the top of its work queue, until lifted', async () => {
    const warningId = '6b8f0c1e-2a4d-4e8f-9c3b-1d2e3f4a5b6c';
    const subject = riskWarningSubject(warningId);
    const raised = createEnvelope(RiskWarningRaisedV1, {
      source: '/services/supervision',
      subject,
      correlationId: warningId,
      data: {
        warningId,
        reference: 'YJ-CONSOLE-1',
        level: 'orange',
        title: '夏季餐饮食品安全风险预警',
        raisedBy: SAMR,
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 86_400_000).toISOString(),
        scope: { regionPrefixes: ['320703'], industries: [], licenceItemCodes: ['FOOD-BUSINESS-LICENCE'], usccs: [] },
        concerns: ['凉菜制售'],
        measures: ['加密抽查'],
        notifiedDepartments: [SAMR],
        raisedAt: new Date().toISOString(),
      },
    });
    const before = await inbox();
    await send([raised]);
    await waitFor('the warning in the inbox', async () => (await inbox()) === before + 1);
    const forSamr = await service.call(SAMR, 'GET', '/queue/risk-warnings');
    expect(forSamr).toMatchObject({ status: 200, body: { warnings: [{ warningId, level: 'orange', concerns: ['凉菜制售'] }] } });
    expect((await service.call(HEALTH, 'GET', '/queue/risk-warnings')).body.warnings).toEqual([]);
    expect((await service.call(HEALTH, 'GET', `/queue/risk-warnings?department=${SAMR}`)).status).toBe(403);
    const lifted = createEnvelope(RiskWarningLiftedV1, {
      source: '/services/supervision',
      subject,
      correlationId: warningId,
      data: {
        warningId,
        level: 'orange',
        reason: 'lifted',
        liftedBy: SAMR,
        notifiedDepartments: [SAMR],
        liftedAt: new Date().toISOString(),
      },
    });
    await send([lifted]);
    await waitFor('the lift in the inbox', async () => (await inbox()) === before + 2);
    expect((await service.call(SAMR, 'GET', '/queue/risk-warnings')).body.warnings).toEqual([]);
  });
});
