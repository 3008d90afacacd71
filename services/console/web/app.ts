/**
 * The operators' console: one page, plain TypeScript compiled at `npm run build` (no framework, no
 * network at runtime), charts by Apache ECharts built from the pinned npm package. Every figure comes
 * from the console's REST API with the signed-in department's key; the page never computes a figure.
 * The first page draws its numbers and its charts at once, the charts as SVG drawn by the server, and
 * runs the chart library afterwards, when the browser is idle, to make them interactive (ADR 0045);
 * performance marks (app:start, overview:figures, overview:numbers, overview:charts, echarts:ready,
 * overview:interactive) say where the time goes (bench/console.bench.ts prints them).
 */
import {
  CHART_WIDTH_MAX,
  CHART_WIDTH_MIN,
  CHART_WIDTH_STEP,
  dayAxisLabel,
  departmentChartOption,
  trendChartOption,
} from '../src/figures/overview-charts';

declare const echarts: {
  init(element: HTMLElement, theme?: string | null, options?: { renderer?: string }): EChart;
  getInstanceByDom(element: HTMLElement): EChart | undefined;
};
/** write-excel-file's browser bundle (pinned npm package, served by the console), loaded on the first XLSX export. */
declare const writeXlsxFile: (
  data: (string | number | null | { value: number; format: string })[][],
  options?: { sheet?: string; columns?: { width: number }[]; stickyRowsCount?: number },
) => { toBlob(): Promise<Blob> };
interface EChart {
  setOption(option: unknown, notMerge?: boolean): void;
  resize(): void;
  dispose(): void;
}

type Row = Record<string, any>;
interface Session {
  department: string;
  operator: boolean;
  refreshMs: number;
}
interface Column {
  key: string;
  label: string;
  num?: boolean;
  /** A code (item, USCC, division): kept on one line. */
  code?: boolean;
  format?: (value: any, row: Row) => string;
  cell?: (row: Row) => Node | string;
}

const KEY_STORAGE = 'backbone.console.key';
/** Who the key signed in as, kept for the tab's life: a reload draws at once and checks the key meanwhile. */
const SESSION_STORAGE = 'backbone.console.session';
const zone = 'Asia/Shanghai';
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: zone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });

const SERVICES: Record<string, string> = {
  approval: '审批',
  supervision: '监管',
  enforcement: '执法',
  credit: '信用',
  inspection: '双随机抽查',
  console: '运行监测',
  integration: '对外集成',
};

const EVENT_LABELS: Record<string, string> = {
  'backbone.approval.decided.v1': '审批决定',
  'backbone.approval.decided.v2': '审批决定',
  'backbone.approval.changed.v1': '审批变更',
  'backbone.approval.licence-status-changed.v1': '许可状态变更',
  'backbone.supervision.task-assigned.v1': '推送监管任务（双推送）',
  'backbone.supervision.approval-unrouted.v1': '未匹配监管事项（监管真空）',
  'backbone.supervision.task-claimed.v1': '监管部门认领（双反馈）',
  'backbone.supervision.task-returned.v1': '任务退回',
  'backbone.supervision.task-updated.v1': '任务随审批变更',
  'backbone.supervision.task-claim-reminder.v1': '认领提醒',
  'backbone.supervision.task-escalated.v1': '超期升级',
  'backbone.supervision.task-closed.v1': '任务办结',
  'backbone.supervision.entity-notified.v1': '双告知',
  'backbone.supervision.unlicensed-operation-clue.v1': '无证无照经营线索',
  'backbone.supervision.commitment-verified.v1': '承诺核查',
  'backbone.supervision.inspection-recorded.v1': '检查结果',
  'backbone.enforcement.case-opened.v1': '执法立案',
  'backbone.enforcement.penalty-decided.v1': '行政处罚决定',
  'backbone.enforcement.case-transferred.v1': '案件移送',
  'backbone.enforcement.case-closed.v1': '结案',
  'backbone.credit.status-changed.v1': '信用状态变更',
  'backbone.enforcement.legal-review-requested.v1': '申请法制审核',
  'backbone.enforcement.legal-review-recorded.v1': '法制审核意见',
  'backbone.enforcement.complaint-registered.v1': '投诉举报登记',
  'backbone.enforcement.complaint-answered.v1': '投诉举报答复',
  'backbone.enforcement.complaint-escalated.v1': '投诉举报督办',
  'backbone.credit.repair-applied.v1': '申请信用修复',
  'backbone.credit.repair-decided.v1': '信用修复决定',
  'backbone.credit.objection-raised.v1': '提出异议申诉',
  'backbone.credit.objection-answered.v1': '异议申诉答复',
  'backbone.inspection.recorded.v2': '检查结果',
  'backbone.inspection.check-overdue.v1': '抽查检查临期/超期',
  'backbone.inspection.plan-published.v1': '抽查计划公布',
  'backbone.inspection.task-drawn.v1': '抽查任务摇号抽取',
  'backbone.inspection.result-recorded.v1': '抽查结果录入',
  'backbone.inspection.result-published.v1': '抽查结果公示',
};

/** A dead letter's kind (libs/messaging, dead_letter.kind): why the message could not be applied. */
const DEAD_LETTER_KINDS: Record<string, string> = {
  invalid: '消息不合规（无法解析或校验未通过）',
  'unknown-type': '未知事件类型',
  failed: '处理失败（多次重试后）',
};

/** What a re-drive did (POST …/dead-letters/:id/redrive). */
const REDRIVE_OUTCOMES: Record<string, string> = {
  applied: '已处理',
  duplicate: '此前已处理，未重复处理',
  ignored: '本服务不处理该类型，已忽略',
  'dead-lettered': '仍无法处理，已再次记为死信',
};

const STATUS_LABELS: Record<string, string> = {
  assigned: '待认领',
  claimed: '已认领',
  returned: '已退回',
  closed: '已办结',
  moved: '已改派',
};
const SOURCE_LABELS: Record<string, string> = {
  inspection: '检查发现',
  unlicensed_clue: '无证无照线索',
  transfer: '移送',
  commitment_breach: '违反承诺',
  manual: '投诉举报/自行发现',
  other: '其他',
};
const SEVERITY_LABELS: Record<string, string> = { severe: '重大', general: '一般', minor: '轻微', undecided: '未决定' };
const OUTCOME_LABELS: Record<string, string> = { executed: '执行完毕', no_penalty: '不予处罚', transferred: '移送' };
const STRATUM_LABELS: Record<string, string> = {
  A: 'A 级（信用好、风险低）',
  B: 'B 级',
  C: 'C 级',
  D: 'D 级（失信或高风险）',
  K: '重点监管对象',
};
const LIST_LABELS: Record<string, string> = { serious_dishonesty: '严重失信主体名单', abnormal_operation: '经营异常名录' };

performance.mark('app:start');

/**
 * The build gives the page's other files content-hashed names (cached for good); the script tag names
 * the chart library and the XLSX writer for the page to load when it needs them.
 */
const ASSETS = (document.currentScript as HTMLScriptElement | null)?.dataset ?? {};

let session: Session | null = null;
let refreshTimer: number | undefined;
let currentView = '';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const fmtTime = (value?: string | null) => (value ? dateTime.format(new Date(value)) : '—');
const chinaToday = () => dayFormat.format(new Date());
const pct = (value: number | null) => (value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`);
const hours = (value: number | null) => (value === null || value === undefined ? '—' : `${value} 小时`);

function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

function say(message: string) {
  $('status').textContent = message;
}

/**
 * GET requests sent before the view that shows their answer has been drawn (see signIn): the view's
 * first api() call for the same path takes the request already on its way instead of sending another.
 */
const early = new Map<string, Promise<unknown>>();

function sendEarly(path: string) {
  const answer = api(path);
  answer.catch(() => undefined); // a failure is the view's to report, when it takes the answer
  early.set(path, answer);
}

async function api<T = any>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const sent = init.method === undefined && init.body === undefined ? early.get(path) : undefined;
  if (sent) {
    early.delete(path);
    return sent as Promise<T>;
  }
  const key = sessionStorage.getItem(KEY_STORAGE) ?? '';
  // Relative to the page, so the console works at / and behind the gateway at /console/ alike.
  const response = await fetch(path.replace(/^\//, ''), {
    method: init.method ?? 'GET',
    headers: { 'x-api-key': key, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const detail = body?.detail ?? body?.message ?? response.statusText;
    throw new Error(`${response.status} ${body?.code ?? ''} ${Array.isArray(detail) ? detail.join('；') : detail}`.trim());
  }
  return body as T;
}

// ---------- filters ----------

function filters(): Record<string, string> {
  const form = $<HTMLFormElement>('filters');
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(form).entries()) if (typeof value === 'string' && value.trim()) values[name] = value.trim();
  return values;
}

function query(extra: Record<string, string> = {}, names = ['from', 'to', 'regionCode', 'department', 'itemCode']): string {
  const all = { ...filters(), ...extra };
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(all)) if (names.includes(name) || name in extra) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

// ---------- tables and export ----------

function table(caption: string, columns: Column[], rows: Row[], rowClass?: (row: Row) => string): HTMLElement {
  // A long header breaks before its bracketed unit, "认领用时中位数 / （工作小时）": the columns stay narrow.
  const headerText = (label: string) => {
    const at = label.indexOf('（');
    return at > 0 ? [label.slice(0, at), el('br'), label.slice(at)] : [label];
  };
  const head = el(
    'tr',
    {},
    ...columns.map((column) => el('th', { scope: 'col', class: column.num ? 'num' : '' }, ...headerText(column.label))),
  );
  const body = rows.map((row) => {
    const tr = el(
      'tr',
      { class: rowClass?.(row) ?? '' },
      ...columns.map((column) => {
        const td = el('td', { class: column.num ? 'num' : column.code ? 'code' : '' });
        if (column.cell) td.append(column.cell(row));
        else td.textContent = column.format ? column.format(row[column.key], row) : String(row[column.key] ?? '—');
        return td;
      }),
    );
    return tr;
  });
  if (rows.length === 0) body.push(el('tr', {}, el('td', { colspan: String(columns.length), class: 'muted' }, '暂无数据')));
  // Focusable and named, so that a keyboard can scroll a table wider than the screen (a tablet).
  const wrap = el(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    el('table', {}, el('caption', {}, caption), el('thead', {}, head), el('tbody', {}, ...body)),
  );
  return wrap;
}

/** CSV with a byte-order mark, so that spreadsheet programs read the Chinese text right. */
function exportCsv(name: string, columns: Column[], rows: Row[]) {
  const cell = (value: unknown) => {
    const text = String(value ?? '');
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.map((column) => cell(column.label)).join(',')];
  for (const row of rows)
    lines.push(columns.map((column) => cell(column.format ? column.format(row[column.key], row) : row[column.key])).join(','));
  download(new Blob(['\uFEFF' + lines.join('\r\n')], { type: 'text/csv;charset=utf-8' }), `${name}-${chinaToday()}.csv`);
}

function download(blob: Blob, file: string) {
  const link = el('a', { href: URL.createObjectURL(blob), download: file }) as HTMLAnchorElement;
  document.body.append(link);
  link.click();
  link.remove();
}

let xlsxLoaded: Promise<void> | null = null;

function loadXlsxWriter(): Promise<void> {
  xlsxLoaded ??= new Promise<void>((resolve, reject) => {
    const script = el('script', { src: ASSETS.xlsx ?? 'assets/write-excel-file.min.js' });
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => {
      xlsxLoaded = null;
      reject(new Error('无法加载 XLSX 导出组件'));
    });
    document.head.append(script);
  });
  return xlsxLoaded;
}

/**
 * XLSX of the table as shown (the same labels and formatting as the CSV), numbers as numbers (rates as
 * percentages), the header row frozen. Written in the browser by write-excel-file: no server round trip.
 */
async function exportXlsx(name: string, columns: Column[], rows: Row[]) {
  await loadXlsxWriter();
  const cell = (column: Column, row: Row) => {
    const value = row[column.key];
    if (column.num && typeof value === 'number')
      return column.format === pct ? { value, format: '0.0%' } : column.format ? column.format(value, row) : value;
    return column.format ? column.format(value, row) : value === null || value === undefined ? null : String(value);
  };
  const data = [columns.map((column) => column.label), ...rows.map((row) => columns.map((column) => cell(column, row)))];
  const widths = columns.map((column, index) => ({
    width: Math.min(
      60,
      Math.max(8, ...data.map((line) => String((line[index] as { value?: unknown })?.value ?? line[index] ?? '').length * 2)),
    ),
  }));
  // An Excel sheet name: at most 31 characters, none of []:*?/\
  const sheet = name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
  const blob = await writeXlsxFile(data, { sheet, columns: widths, stickyRowsCount: 1 }).toBlob();
  download(blob, `${name}-${chinaToday()}.xlsx`);
}

function panel(title: string, content: Node, exportable?: { name: string; columns: Column[]; rows: Row[] }): HTMLElement {
  const head = el('div', { class: 'panel-head' }, el('h2', {}, title));
  if (exportable) {
    const csv = el('button', { type: 'button', class: 'secondary small', 'aria-label': `导出 CSV：${title}` }, '导出 CSV');
    csv.addEventListener('click', () => exportCsv(exportable.name, exportable.columns, exportable.rows));
    const xlsx = el('button', { type: 'button', class: 'secondary small', 'aria-label': `导出 XLSX：${title}` }, '导出 XLSX');
    xlsx.addEventListener('click', () => {
      exportXlsx(exportable.name, exportable.columns, exportable.rows).catch((error: Error) => say(`导出失败：${error.message}`));
    });
    head.append(el('div', { class: 'exports' }, csv, xlsx));
  }
  return el('section', { class: 'panel', 'aria-label': title }, head, content);
}

function kpi(label: string, value: string, note = ''): HTMLElement {
  return el(
    'div',
    { class: 'kpi' },
    el('div', { class: 'label' }, label),
    el('div', { class: 'value' }, value),
    el('div', { class: 'note' }, note),
  );
}

let echartsLoaded: Promise<void> | null = null;

/**
 * The console's ECharts build (0.55 MB, see echarts.ts) is fetched as the page loads (index.html preloads
 * it) and run by the first page that draws a chart, right after that page has sent its figures'
 * requests: the library runs while the server answers, and never before the requests go out. A page
 * without charts (a department's queue) never runs it.
 */
function loadCharts(): Promise<void> {
  echartsLoaded ??= new Promise<void>((resolve, reject) => {
    if (typeof echarts !== 'undefined') return resolve();
    const script = el('script', { src: ASSETS.echarts ?? 'assets/echarts.js', async: '' });
    script.addEventListener('load', () => {
      performance.mark('echarts:ready');
      resolve();
    });
    script.addEventListener('error', () => {
      echartsLoaded = null;
      reject(new Error('无法加载图表组件'));
    });
    document.head.append(script);
  });
  return echartsLoaded;
}

/** Resolves once the browser has had a chance to paint what is in the DOM (the numbers before the charts). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    // A hidden tab runs no animation frames.
    setTimeout(resolve, 100);
  });
}

async function chart(container: HTMLElement, option: unknown): Promise<void> {
  try {
    await loadCharts();
  } catch (error) {
    container.textContent = (error as Error).message;
    return;
  }
  const existing = echarts.getInstanceByDom(container);
  // The server's SVG of the first paint (if any) is replaced in the same task: no blank frame between.
  if (!existing) container.replaceChildren();
  const instance = existing ?? echarts.init(container, null, { renderer: 'canvas' });
  instance.setOption(option, true);
}

/** Resolves when the browser has nothing else to do (or after `timeout` ms at the latest). */
function whenIdle(timeout = 1000): Promise<void> {
  return new Promise((resolve) => {
    if ('requestIdleCallback' in window) requestIdleCallback(() => resolve(), { timeout });
    else setTimeout(resolve, 50);
  });
}

/**
 * The page's overview charts drawn by the server (charts=svg) are pictures: once they are painted, the
 * chart library is run and each picture replaced by the interactive chart (tooltips, legend toggles,
 * resizing), each step in its own idle slot so that a click or a key in between is answered. A picture
 * whose view was redrawn meanwhile (a refresh, a filter) is left alone.
 */
async function makeInteractive(charts: Array<[box: HTMLElement, option: unknown]>): Promise<void> {
  await whenIdle();
  try {
    await loadCharts();
  } catch {
    return; // the pictures stay; the next view draws (and reports) with the library
  }
  for (const [box, option] of charts) {
    await whenIdle();
    if (box.isConnected) await chart(box, option);
  }
  performance.mark('overview:interactive');
}

let chartWidth: number | undefined;

/**
 * The width the server draws the first page's charts at: the chart box's (the viewport less main's and
 * the panel's padding and border, styles.css), rounded; the picture scales to its box. Fixed for the
 * page's life, so that signIn's early request and the view's ask for the same path.
 */
function firstChartWidth(): number {
  const width = document.documentElement.clientWidth - 2 * 20 - 2 * 14 - 2;
  chartWidth ??= Math.min(CHART_WIDTH_MAX, Math.max(CHART_WIDTH_MIN, Math.round(width / CHART_WIDTH_STEP) * CHART_WIDTH_STEP));
  return chartWidth;
}

/**
 * The overview's figures request. Until the page has run the chart library (its first overview), it asks
 * for the two charts drawn as SVG too, so that the first paint needs no chart code (ADR 0045).
 */
function overviewPath(): string {
  const pictures: Record<string, string> = typeof echarts === 'undefined' ? { charts: 'svg', chartWidth: String(firstChartWidth()) } : {};
  return `/figures/overview${query(pictures)}`;
}

// ---------- views ----------

const DUTY_COLUMNS = (keyLabel: string): Column[] => [
  { key: 'key', label: keyLabel, code: true },
  { key: 'pushed', label: '推送', num: true },
  { key: 'claimed', label: '认领', num: true },
  { key: 'claimedWithinDeadline', label: '按期认领', num: true },
  { key: 'overdueUnclaimed', label: '超期未认领', num: true },
  { key: 'reminded', label: '提醒', num: true },
  { key: 'escalated', label: '升级', num: true },
  { key: 'returned', label: '退回', num: true },
  { key: 'rerouted', label: '改派', num: true },
  { key: 'closed', label: '办结', num: true },
  { key: 'associationRate', label: '关联率', num: true, format: pct },
  { key: 'medianClaimHours', label: '认领用时中位数（工作小时）', num: true, format: (v) => (v === null ? '—' : String(v)) },
  { key: 'p90ClaimHours', label: '认领用时P90（工作小时）', num: true, format: (v) => (v === null ? '—' : String(v)) },
  { key: 'vacuumOpen', label: '监管真空（未处理）', num: true },
  { key: 'vacuumRouted', label: '监管真空（已补推）', num: true },
];

async function overview(main: HTMLElement) {
  // One request: the figures per department and the rows per item (GET /figures/overview), and on the
  // page's first overview its charts drawn by the server.
  const report = await api(overviewPath());
  performance.mark('overview:figures');
  const t = report.totals;
  main.replaceChildren(
    el(
      'h2',
      {},
      `审管联动总览 · ${report.period.from} 至 ${report.period.to}（${report.period.days} 天，其中工作日 ${report.period.workingDays} 天）`,
    ),
    el(
      'div',
      { class: 'kpis', id: 'kpis' },
      kpi('推送任务', String(t.pushed)),
      kpi('已认领', String(t.claimed), `按期 ${t.claimedWithinDeadline}`),
      kpi('关联率', pct(t.associationRate), '认领数 / 推送数'),
      kpi('超期未认领', String(t.overdueUnclaimed), `已升级 ${t.escalated}`),
      kpi('认领用时中位数', hours(t.medianClaimHours), `P90 ${hours(t.p90ClaimHours)}（工作时间）`),
      kpi('退回 / 改派', `${t.returned} / ${t.rerouted}`),
      kpi('监管真空', String(t.vacuumOpen), `已补推 ${t.vacuumRouted}`),
    ),
  );
  const trendBox = el('div', {
    class: 'chart',
    id: 'trend-chart',
    role: 'img',
    'aria-label': '每日推送、认领、升级与监管真空趋势图，灰色底为非工作日',
  });
  main.append(
    panel(
      '每日趋势',
      el(
        'div',
        {},
        trendBox,
        el('p', { class: 'legend-note' }, '灰色底为非工作日（周末与法定节假日）；调休上班日按工作日计。时间为北京时间。'),
      ),
      {
        name: '每日趋势',
        columns: [
          { key: 'day', label: '日期' },
          { key: 'workingDay', label: '工作日', format: (v) => (v ? '是' : '否') },
          { key: 'pushed', label: '推送' },
          { key: 'claimed', label: '认领' },
          { key: 'escalated', label: '升级' },
          { key: 'vacuum', label: '监管真空' },
        ],
        rows: report.trend,
      },
    ),
  );
  const trendOption = trendChartOption(report.trend);
  const deptColumns = DUTY_COLUMNS('部门');
  const deptChart = el('div', { class: 'chart', role: 'img', 'aria-label': '各部门推送与认领对比图' });
  // Full width, one under the other: the department table has 15 columns, which half of 1366 px clipped.
  main.append(
    panel('各部门履职情况', table('按部门统计（推送日期在所选期间内）', deptColumns, report.rows), {
      name: '各部门履职情况',
      columns: deptColumns,
      rows: report.rows,
    }),
    panel('各部门推送与认领', deptChart),
  );
  const departmentOption = departmentChartOption(report.rows);
  const itemColumns = DUTY_COLUMNS('监管事项');
  main.append(
    panel('各监管事项履职情况', table('按监管事项统计', itemColumns, report.byItem), {
      name: '各监管事项履职情况',
      columns: itemColumns,
      rows: report.byItem,
    }),
  );
  const pictures = report.charts as { trend: string; departments: string } | undefined;
  if (pictures) {
    // The server's drawings (our own ECharts, our own figures: text escaped) go in with the numbers.
    trendBox.innerHTML = pictures.trend;
    deptChart.innerHTML = pictures.departments;
  }
  performance.mark('overview:numbers');
  // The numbers and tables (and the server's charts) are painted first; the interactive charts follow.
  await afterPaint();
  if (pictures) {
    performance.mark('overview:charts');
    void makeInteractive([
      [trendBox, trendOption],
      [deptChart, departmentOption],
    ]);
    return;
  }
  await Promise.all([chart(trendBox, trendOption), chart(deptChart, departmentOption)]);
  performance.mark('overview:charts');
  performance.mark('overview:interactive');
}

const TASK_COLUMNS: Column[] = [
  { key: 'entityName', label: '市场主体', format: (v, row) => v ?? row.uscc },
  { key: 'uscc', label: '统一社会信用代码', code: true },
  { key: 'itemCode', label: '监管事项', code: true },
  { key: 'regionCode', label: '区划', code: true },
  { key: 'department', label: '承接部门', code: true },
  {
    key: 'status',
    label: '状态',
    format: (v, row) => `${STATUS_LABELS[v] ?? v}${row.overdue ? '（超期）' : ''}${row.escalated || row.escalatedAt ? '（已升级）' : ''}`,
  },
  { key: 'assignedAt', label: '推送时间', format: fmtTime },
  { key: 'claimDeadline', label: '认领期限', format: fmtTime },
  { key: 'handler', label: '承办人', format: (v) => v ?? '—' },
];

async function taskList(main: ParentNode, title: string, params: Record<string, string>, actions: boolean) {
  let rows: Row[] = [];
  let next: string | null = null;
  const section = el('div');
  const load = async () => {
    const page = await api(`/queue${query({ ...params, ...(next ? { cursor: next } : {}) }, ['regionCode', 'department', 'itemCode'])}`);
    rows = rows.concat(page.items);
    next = page.next;
    render();
  };
  const columns: Column[] = [
    {
      key: 'actions',
      label: '操作',
      cell: (row) => {
        const box = el('div', { class: 'claim-form' });
        if (actions && row.status === 'assigned' && row.department === session?.department) {
          const handler = el('input', {
            'aria-label': `承办人（${row.entityName ?? row.uscc}）`,
            placeholder: '承办人',
            value: '',
          }) as HTMLInputElement;
          const claim = el('button', { type: 'button', class: 'small' }, '认领');
          claim.addEventListener('click', () => void claimTask(row, handler.value.trim()));
          const back = el('button', { type: 'button', class: 'small danger' }, '退回');
          back.addEventListener('click', () => returnTask(row));
          box.append(handler, claim, back);
        }
        const trail = el('a', { href: `#/trail/${row.approvalId}` }, '轨迹');
        box.append(trail);
        return box;
      },
    },
    ...TASK_COLUMNS,
  ];
  const render = () => {
    const more = el('button', { type: 'button', class: 'secondary more' }, '加载更多');
    more.addEventListener('click', () => void load());
    section.replaceChildren(
      panel(
        title,
        el(
          'div',
          {},
          table(`共显示 ${rows.length} 条${next ? '，还有更多' : ''}`, columns, rows, (row) => (row.overdue ? 'overdue' : '')),
          ...(next ? [more] : []),
        ),
        {
          name: title,
          columns: TASK_COLUMNS,
          rows,
        },
      ),
    );
  };
  main.append(section);
  await load();
}

async function queue(main: HTMLElement) {
  const figures = await api(`/figures/duty${query()}`);
  const t = figures.totals;
  const lists = document.createDocumentFragment();
  await riskWarnings(lists);
  await taskList(lists, '待认领任务', { status: 'assigned' }, true);
  await taskList(lists, '已认领任务', { status: 'claimed' }, false);
  // Swapped in once every part is loaded: a live refresh never shows the queue without its tables.
  main.replaceChildren(
    el('h2', {}, session?.operator ? '部门工作台（运维视图：全部部门）' : `部门工作台 · ${session?.department}`),
    el(
      'div',
      { class: 'kpis', id: 'queue-kpis' },
      kpi('推送任务', String(t.pushed)),
      kpi('已认领', String(t.claimed), `关联率 ${pct(t.associationRate)}`),
      kpi('超期未认领', String(t.overdueUnclaimed)),
      kpi('认领用时中位数', hours(t.medianClaimHours)),
    ),
    lists,
  );
}

const LEVEL_LABELS: Record<string, string> = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' };

/** The active risk warnings notified to the department (风险预警): new tasks in their scope have fewer days to claim. */
async function riskWarnings(main: ParentNode) {
  const { warnings } = await api(`/queue/risk-warnings${query({}, ['department'])}`);
  if (warnings.length === 0) return;
  const columns: Column[] = [
    { key: 'level', label: '级别', format: (v) => `${LEVEL_LABELS[v] ?? v}预警` },
    { key: 'title', label: '预警事项', format: (v) => v },
    { key: 'concerns', label: '警示事项', format: (v) => (v as string[]).join('；') },
    { key: 'measures', label: '防控措施', format: (v) => (v as string[]).join('；') },
    { key: 'raisedBy', label: '发布部门', format: (v) => v },
    { key: 'startsAt', label: '起始时间', format: fmtTime },
    { key: 'endsAt', label: '截止时间', format: fmtTime },
  ];
  main.append(
    panel(
      '风险预警（预警期间范围内新推送任务的认领期限缩短）',
      table(`生效中的预警 ${warnings.length} 条`, columns, warnings, (row) => `risk-${row.level}`),
      { name: '风险预警', columns, rows: warnings },
    ),
  );
}

async function claimTask(row: Row, handler: string) {
  if (!handler) {
    say('请先填写承办人姓名再认领。');
    return;
  }
  try {
    await api(`/queue/${row.taskId}/claim`, { method: 'POST', body: { handler } });
    say(`已认领：${row.entityName ?? row.uscc}（${row.itemCode}）。数据将在事件回流后刷新。`);
    setTimeout(() => void show(), 1500);
  } catch (error) {
    say(`认领失败：${(error as Error).message}`);
  }
}

function returnTask(row: Row) {
  const dialog = $<HTMLDialogElement>('return-dialog');
  const form = $<HTMLFormElement>('return-form');
  const reason = $<HTMLTextAreaElement>('return-reason');
  $('return-cancel').onclick = () => dialog.close();
  form.onsubmit = async (event) => {
    event.preventDefault();
    if (!reason.value.trim()) return;
    dialog.close();
    try {
      await api(`/queue/${row.taskId}/return`, { method: 'POST', body: { reason: reason.value.trim() } });
      say(`已退回：${row.entityName ?? row.uscc}。`);
      setTimeout(() => void show(), 1500);
    } catch (error) {
      say(`退回失败：${(error as Error).message}`);
    }
  };
  dialog.showModal();
  reason.focus();
}

async function overdue(main: HTMLElement) {
  const lists = document.createDocumentFragment();
  await taskList(lists, '超期未认领', { overdue: 'true' }, true);
  await taskList(lists, '已升级任务', { escalated: 'true' }, false);
  main.replaceChildren(el('h2', {}, '超期与升级（按认领期限由早到晚）'), lists);
}

async function vacuum(main: HTMLElement) {
  const page = await api(`/vacuum${query({ limit: '500', includeRouted: 'false' }, ['regionCode', 'department', 'itemCode'])}`);
  const columns: Column[] = [
    { key: 'entityName', label: '市场主体', format: (v, row) => v ?? row.uscc },
    { key: 'itemCode', label: '审批事项', code: true },
    { key: 'regionCode', label: '区划', code: true },
    { key: 'approverDepartment', label: '审批部门', format: (v) => v ?? '—' },
    { key: 'unroutedAt', label: '发现时间', format: fmtTime },
    { key: 'reason', label: '原因' },
    {
      key: 'catalogEntryNeeded',
      label: '需补充的监管事项目录',
      format: (v) => `事项 ${v.itemCode}，区划 ${v.regionCode}${v.kind ? `，类型 ${v.kind}` : ''}`,
    },
    { key: 'approvalId', label: '轨迹', cell: (row) => el('a', { href: `#/trail/${row.approvalId}` }, '轨迹') },
  ];
  main.replaceChildren(
    el('h2', {}, '监管真空（未匹配监管事项的审批，按发现时间由早到晚）'),
    el('p', { class: 'muted' }, '在监管服务的监管事项目录中补充对应事项后，这些审批将被自动推送并从本列表移出。'),
    panel('未处理的监管真空', table(`共 ${page.items.length} 条${page.next ? '（仅显示前 500 条）' : ''}`, columns, page.items), {
      name: '监管真空',
      columns,
      rows: page.items,
    }),
  );
}

async function enforcement(main: HTMLElement) {
  const figures = api(`/figures/enforcement${query({}, ['from', 'to', 'department'])}`);
  void loadCharts().catch(() => undefined);
  const report = await figures;
  const c = report.cases;
  const label = (labels: Record<string, string>) => (rows: Row[]) =>
    rows.map((row) => ({ ...row, name: labels[row.key] ?? row.key, value: row.count }));
  main.replaceChildren(
    el('h2', {}, `执法与信用 · ${report.period.from} 至 ${report.period.to}`),
    el(
      'div',
      { class: 'kpis' },
      kpi('立案', String(c.opened)),
      kpi('在办案件', String(c.openNow), `未作出决定 ${c.undecidedNow}`),
      kpi('结案', String(c.closedByOutcome.reduce((s: number, r: Row) => s + r.count, 0))),
      kpi('移送', String(c.transfers.reduce((s: number, r: Row) => s + r.count, 0))),
      kpi('法制审核待审', String(report.legalReviews.pendingNow), `期间申请 ${report.legalReviews.requested}`),
      kpi(
        '处罚决定按期公示',
        `${report.decisions.publishedOnTime} / ${report.decisions.decided}`,
        `${report.decisions.deadlineWorkingDays} 个工作日内 · ${pct(report.decisions.onTimeRate)}`,
      ),
      kpi('投诉举报超期未答复', String(report.complaints.pastDeadlineNow), `待答复 ${report.complaints.pendingNow}`),
      kpi('信用修复 / 异议待办', `${report.credit.repairs.pendingNow} / ${report.credit.objections.pendingNow}`),
    ),
  );
  const sourceChart = el('div', { class: 'chart', role: 'img', 'aria-label': '案件来源分布图' });
  const severityChart = el('div', { class: 'chart', role: 'img', 'aria-label': '案件严重程度分布图' });
  main.append(el('div', { class: 'grid2' }, panel('案件来源', sourceChart), panel('严重程度', severityChart)));
  const pies = () =>
    Promise.all([pie(sourceChart, label(SOURCE_LABELS)(c.bySource)), pie(severityChart, label(SEVERITY_LABELS)(c.bySeverity))]);
  const countColumns = (first: string, labels: Record<string, string>): Column[] => [
    { key: 'key', label: first, format: (v) => labels[v] ?? v },
    { key: 'count', label: '数量', num: true },
  ];
  main.append(
    el(
      'div',
      { class: 'grid2' },
      panel('各部门立案', table('按部门', countColumns('部门', {}), c.byDepartment), {
        name: '各部门立案',
        columns: countColumns('部门', {}),
        rows: c.byDepartment,
      }),
      panel('结案情况', table('按结案方式', countColumns('结案方式', OUTCOME_LABELS), c.closedByOutcome), {
        name: '结案情况',
        columns: countColumns('结案方式', OUTCOME_LABELS),
        rows: c.closedByOutcome,
      }),
      panel('信用等级分布', table('按信用等级（A 最好，D 最差）', countColumns('信用等级', {}), report.credit.entitiesByTier), {
        name: '信用等级分布',
        columns: countColumns('信用等级', {}),
        rows: report.credit.entitiesByTier,
      }),
      panel('名单', table('列入名单的市场主体', countColumns('名单', LIST_LABELS), report.credit.entitiesByList), {
        name: '名单',
        columns: countColumns('名单', LIST_LABELS),
        rows: report.credit.entitiesByList,
      }),
    ),
  );
  const dutyColumns: Column[] = [
    { key: 'name', label: '事项' },
    { key: 'inPeriod', label: '期间内', num: true },
    { key: 'done', label: '期间办结', num: true },
    { key: 'late', label: '其中超期', num: true, format: (v) => (v === null ? '—' : String(v)) },
    { key: 'pending', label: '当前待办', num: true, format: (v) => (v === null ? '—' : String(v)) },
  ];
  const r = report.legalReviews;
  const d = report.decisions;
  const k = report.complaints;
  const dutyRows: Row[] = [
    { name: '法制审核（申请 / 审核完毕）', inPeriod: r.requested, done: r.approved + r.rejected, late: null, pending: r.pendingNow },
    {
      name: `处罚决定公示（${d.deadlineWorkingDays} 个工作日内）`,
      inPeriod: d.decided,
      done: d.publishedOnTime,
      late: d.publishedLate,
      pending: null,
    },
    { name: '投诉举报（登记 / 答复）', inPeriod: k.registered, done: k.answered, late: k.answeredLate, pending: k.pendingNow },
    {
      name: '信用修复（申请 / 决定）',
      inPeriod: report.credit.repairs.filed,
      done: report.credit.repairs.answered,
      late: null,
      pending: report.credit.repairs.pendingNow,
    },
    {
      name: '异议申诉（受理 / 答复）',
      inPeriod: report.credit.objections.filed,
      done: report.credit.objections.answered,
      late: null,
      pending: report.credit.objections.pendingNow,
    },
  ];
  const waitingColumns: Column[] = [
    { key: 'key', label: '承办部门' },
    { key: 'pending', label: '待答复', num: true },
    { key: 'pastDeadline', label: '已超答复期限', num: true },
  ];
  // Full width: their labels are long, and in half of a tablet's width they broke onto three lines.
  main.append(
    panel('执法与信用办理时效', table(`截至 ${fmtTime(report.asOf)}`, dutyColumns, dutyRows), {
      name: '执法与信用办理时效',
      columns: dutyColumns,
      rows: dutyRows,
    }),
    panel(
      '投诉举报待答复（按部门）',
      table('超期未答复在前', waitingColumns, k.waitingByDepartment, (row) => (row.pastDeadline > 0 ? 'overdue' : '')),
      {
        name: '投诉举报待答复',
        columns: waitingColumns,
        rows: k.waitingByDepartment,
      },
    ),
  );
  await afterPaint();
  await pies();
}

/** 双随机、一公开: plans, draws, checks by their deadline, results published by theirs, coverage (GET /figures/inspection). */
async function inspection(main: HTMLElement) {
  const figures = api(`/figures/inspection${query({}, ['from', 'to', 'department'])}`);
  void loadCharts().catch(() => undefined);
  const report = await figures;
  const t = report.totals;
  const cov = report.coverage;
  const p = report.period;
  main.replaceChildren(
    el('h2', {}, `随机抽查（双随机、一公开）· ${p.from} 至 ${p.to}（${p.days} 天，其中工作日 ${p.workingDays} 天）`),
    el(
      'div',
      { class: 'kpis', id: 'inspection-kpis' },
      kpi('公布抽查计划', String(t.plansPublished)),
      kpi('抽查任务', String(t.tasks), `抽取市场主体 ${t.drawn} 户次`),
      kpi('完成检查', `${t.checksDone} / ${t.drawn}`, `按期完成 ${t.checksDoneOnTime}（按期率 ${pct(t.onTimeCompletionRate)}）`),
      kpi('超期未完成检查', String(t.checksOverdue)),
      kpi('录入检查结果', String(t.results), `发现问题 ${t.problems}（${pct(t.problemRate)}）`),
      kpi('结果按期公示', `${t.publishedOnTime} / ${t.results}`, `超期公示 ${t.publishedLate}（按期率 ${pct(t.onTimePublicationRate)}）`),
      kpi('超期未公示', String(t.awaitingPastDeadline), `待公示 ${t.awaitingPublication}`),
      kpi('抽查覆盖率', pct(cov.coverage), `${cov.inspectedEntities} / ${cov.registerEntities} 户；重点监管 ${pct(cov.keyCoverage)}`),
    ),
    el(
      'p',
      { class: 'muted' },
      '检查时限与公示时限均按工作日计算（法定节假日不计，调休上班日计入），由抽查服务在摇号与录入时确定。' +
        '任务按摇号日期、结果按录入日期归入所选期间；联合抽查中，每个参与部门均计入该任务的全部检查。' +
        '按期率的分母为已有结论者：已完成（已公示）或已超期者。',
    ),
  );
  const trendBox = el('div', {
    class: 'chart',
    id: 'inspection-trend-chart',
    role: 'img',
    'aria-label': '每日抽取、完成检查、录入结果与公示趋势图，灰色底为非工作日',
  });
  main.append(
    panel(
      '每日趋势',
      el('div', {}, trendBox, el('p', { class: 'legend-note' }, '灰色底为非工作日（周末与法定节假日）；调休上班日按工作日计。')),
      {
        name: '随机抽查每日趋势',
        columns: [
          { key: 'day', label: '日期' },
          { key: 'workingDay', label: '工作日', format: (v) => (v ? '是' : '否') },
          { key: 'drawn', label: '抽取' },
          { key: 'checksDone', label: '完成检查' },
          { key: 'results', label: '录入结果' },
          { key: 'published', label: '公示' },
        ],
        rows: report.trend,
      },
    ),
  );
  const offDays = report.trend.filter((d: Row) => !d.workingDay).map((d: Row) => [{ xAxis: d.day.slice(5) }, { xAxis: d.day.slice(5) }]);
  const trendOption = {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['抽取', '完成检查', '录入结果', '公示'] },
    grid: { left: 40, right: 20, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: report.trend.map((d: Row) => d.day.slice(5)), axisLabel: dayAxisLabel(report.trend.length) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: '抽取',
        type: 'bar',
        data: report.trend.map((d: Row) => d.drawn),
        itemStyle: { color: '#0b5cad' },
        markArea: { silent: true, itemStyle: { color: 'rgba(120,120,120,0.12)' }, data: offDays },
      },
      { name: '完成检查', type: 'line', data: report.trend.map((d: Row) => d.checksDone), itemStyle: { color: '#1a7f37' } },
      { name: '录入结果', type: 'line', data: report.trend.map((d: Row) => d.results), itemStyle: { color: '#8a5300' } },
      { name: '公示', type: 'line', data: report.trend.map((d: Row) => d.published), itemStyle: { color: '#6e3fa3' } },
    ],
  };
  const deptColumns: Column[] = [
    { key: 'key', label: '部门', code: true },
    { key: 'plansPublished', label: '公布计划', num: true },
    { key: 'tasks', label: '抽查任务', num: true },
    { key: 'drawn', label: '抽取户次', num: true },
    { key: 'checksDone', label: '完成检查', num: true },
    { key: 'checksDoneOnTime', label: '按期完成', num: true },
    { key: 'checksOverdue', label: '超期未完成', num: true },
    { key: 'onTimeCompletionRate', label: '按期完成率', num: true, format: pct },
    { key: 'results', label: '检查结果', num: true },
    { key: 'problems', label: '发现问题', num: true },
    { key: 'publishedOnTime', label: '按期公示', num: true },
    { key: 'publishedLate', label: '超期公示', num: true },
    { key: 'awaitingPastDeadline', label: '超期未公示', num: true },
    { key: 'onTimePublicationRate', label: '公示按期率', num: true, format: pct },
  ];
  const deptChart = el('div', { class: 'chart', role: 'img', 'aria-label': '各部门抽取、按期完成与按期公示对比图' });
  main.append(
    panel(
      '各部门随机抽查履职情况',
      table('按部门统计（任务按摇号日期、结果按录入日期）', deptColumns, report.rows, (row) =>
        row.checksOverdue > 0 || row.awaitingPastDeadline > 0 ? 'overdue' : '',
      ),
      { name: '各部门随机抽查履职情况', columns: deptColumns, rows: report.rows },
    ),
    panel('各部门抽取、完成与公示', deptChart),
  );
  const deptOption = {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['抽取户次', '按期完成', '按期公示'] },
    grid: { left: 40, right: 20, top: 36, bottom: 50 },
    xAxis: { type: 'category', data: report.rows.map((r: Row) => r.key), axisLabel: { rotate: 20 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '抽取户次', type: 'bar', data: report.rows.map((r: Row) => r.drawn), itemStyle: { color: '#0b5cad' } },
      { name: '按期完成', type: 'bar', data: report.rows.map((r: Row) => r.checksDoneOnTime), itemStyle: { color: '#1a7f37' } },
      { name: '按期公示', type: 'bar', data: report.rows.map((r: Row) => r.publishedOnTime), itemStyle: { color: '#6e3fa3' } },
    ],
  };
  const strataColumns: Column[] = [
    { key: 'key', label: '抽查层级', format: (v) => STRATUM_LABELS[v] ?? v },
    { key: 'pool', label: '名录库（冻结）', num: true },
    { key: 'drawn', label: '抽取', num: true },
    { key: 'samplingRate', label: '实际抽查比例', num: true, format: pct },
    { key: 'checksDone', label: '完成检查', num: true },
    { key: 'results', label: '检查结果', num: true },
    { key: 'problems', label: '发现问题', num: true },
  ];
  const coverageColumns: Column[] = [
    { key: 'name', label: '对象' },
    { key: 'register', label: '名录库户数', num: true },
    { key: 'inspected', label: '期间内已检查', num: true },
    { key: 'rate', label: '覆盖率', num: true, format: pct },
  ];
  const coverageRows: Row[] = [
    { name: '全部市场主体', register: cov.registerEntities, inspected: cov.inspectedEntities, rate: cov.coverage },
    { name: '重点监管对象', register: cov.registerKeyEntities, inspected: cov.inspectedKeyEntities, rate: cov.keyCoverage },
  ];
  main.append(
    el(
      'div',
      { class: 'grid2' },
      panel('按信用风险分层', table('信用好、风险低的少抽，失信、高风险的多抽', strataColumns, report.strata), {
        name: '随机抽查按分层',
        columns: strataColumns,
        rows: report.strata,
      }),
      panel('抽查覆盖率', table('名录库户数取期末前最近一次摇号时的数据', coverageColumns, coverageRows), {
        name: '随机抽查覆盖率',
        columns: coverageColumns,
        rows: coverageRows,
      }),
    ),
  );
  // The numbers and tables first, then the charts.
  await afterPaint();
  await Promise.all([chart(trendBox, trendOption), chart(deptChart, deptOption)]);
}

function pie(container: HTMLElement, data: Row[]): Promise<void> {
  if (data.length === 0)
    return chart(container, {
      title: { text: '所选期间暂无数据', left: 'center', top: 'middle', textStyle: { color: '#545d68', fontSize: 14 } },
    });
  return chart(container, {
    animation: false,
    tooltip: { trigger: 'item' },
    legend: { top: 0 },
    series: [{ type: 'pie', radius: ['35%', '65%'], top: 24, data }],
  });
}

async function health(main: HTMLElement) {
  const report = await api('/loop-health');
  main.replaceChildren(el('h2', {}, `系统健康 · ${fmtTime(report.at)}`));
  const cards = el('div', { class: 'service-cards' });
  const summary: Row[] = [];
  for (const s of report.services as Row[]) {
    const backlog = s.outbox.reduce((sum: number, row: Row) => sum + row.unsent, 0);
    const oldest = s.outbox.reduce((max: number, row: Row) => Math.max(max, row.oldestUnsentSeconds), 0);
    const lag = s.consumerLag.reduce((sum: number, row: Row) => sum + row.lag, 0);
    const gaps = s.reconciliationGaps ? Object.values(s.reconciliationGaps).reduce((a: number, b: any) => a + Number(b), 0) : null;
    summary.push({
      service: `${SERVICES[s.service] ?? s.service}（${s.service}）`,
      ready: s.ready,
      backlog,
      oldest,
      lag,
      deadLetters: s.deadLettersOpen ?? null,
      gaps,
    });
    cards.append(
      el(
        'section',
        { class: 'panel', 'aria-label': `${SERVICES[s.service] ?? s.service}服务` },
        el(
          'div',
          { class: 'panel-head' },
          el('h2', {}, `${SERVICES[s.service] ?? s.service}（${s.service}）`),
          el('span', { class: `badge ${s.ready ? 'ok' : 'danger'}` }, s.ready ? '正常' : '异常'),
        ),
        table(
          '运行指标',
          [
            { key: 'k', label: '指标' },
            { key: 'v', label: '值', num: true },
          ],
          [
            { k: '发件箱积压（条）', v: backlog },
            { k: '最早未发送（秒）', v: oldest },
            { k: '消费滞后（条）', v: lag },
            { k: '死信（未处理）', v: s.deadLettersOpen ?? '—' },
            ...(gaps !== null ? [{ k: '对账缺口', v: gaps }] : []),
          ],
        ),
        ...(s.error ? [el('p', { class: 'error' }, s.error)] : []),
      ),
    );
  }
  // The cards' figures export as one table, a row per service.
  const summaryColumns: Column[] = [
    { key: 'service', label: '服务' },
    { key: 'ready', label: '状态', format: (v) => (v ? '正常' : '异常') },
    { key: 'backlog', label: '发件箱积压（条）', num: true },
    { key: 'oldest', label: '最早未发送（秒）', num: true },
    { key: 'lag', label: '消费滞后（条）', num: true },
    { key: 'deadLetters', label: '死信（未处理）', num: true, format: (v) => (v === null ? '—' : String(v)) },
    { key: 'gaps', label: '对账缺口', num: true, format: (v) => (v === null ? '—' : String(v)) },
  ];
  const services = panel('各服务运行指标', cards, { name: '各服务运行指标', columns: summaryColumns, rows: summary });
  services.classList.add('plain');
  main.append(services);
  if (!session?.operator) {
    main.append(el('p', { class: 'muted' }, '死信的查看与重新投递仅限运维部门。'));
    return;
  }
  for (const s of report.services as Row[]) {
    if (!s.deadLettersOpen) continue;
    const letters: Row[] = await api(`/loop-health/${s.service}/dead-letters`);
    const columns: Column[] = [
      { key: 'id', label: '编号' },
      { key: 'eventType', label: '事件类型', format: (v, row) => (v ? (EVENT_LABELS[v] ?? v) : row.kind === 'invalid' ? '无法解析' : '—') },
      { key: 'kind', label: '类别', format: (v) => DEAD_LETTER_KINDS[v] ?? String(v ?? '—') },
      {
        key: 'reason',
        label: '原因（原文）',
        // The service's own message (English, as in its log): shortened here, whole on hover and in the CSV.
        cell: (row) => {
          const reason = String(row.reason ?? '—');
          return el('span', { title: reason }, reason.length > 120 ? `${reason.slice(0, 120)}…` : reason);
        },
      },
      { key: 'createdAt', label: '时间', format: fmtTime },
      {
        key: 'redrive',
        label: '操作',
        cell: (row) => {
          const button = el('button', { type: 'button', class: 'small' }, '重新投递');
          button.setAttribute('aria-label', `重新投递死信 ${row.id}`);
          button.addEventListener('click', () => void redrive(s.service, row.id));
          return button;
        },
      },
    ];
    main.append(
      panel(`${SERVICES[s.service] ?? s.service}服务的死信`, table(`共 ${letters.length} 条`, columns, letters), {
        name: `死信-${s.service}`,
        columns,
        rows: letters,
      }),
    );
  }
}

async function redrive(service: string, id: string) {
  try {
    const result = await api(`/loop-health/${service}/dead-letters/${id}/redrive`, { method: 'POST' });
    say(`死信 ${id} 已重新投递：${REDRIVE_OUTCOMES[result.outcome] ?? result.outcome}`);
  } catch (error) {
    say(`重新投递失败：${(error as Error).message}`);
  }
  void show();
}

async function trail(main: HTMLElement, approvalId: string) {
  const result = await api(`/trail/${approvalId}`);
  const a = result.approval;
  const items = (result.events as Row[]).map((event) =>
    el(
      'li',
      {},
      el('div', { class: 'when' }, `${fmtTime(event.time)} · `, el('span', { class: 'badge' }, SERVICES[event.service] ?? event.service)),
      el('div', {}, el('strong', {}, EVENT_LABELS[event.type] ?? event.type), ' ', el('span', { class: 'muted' }, summary(event))),
    ),
  );
  main.replaceChildren(
    el('h2', {}, `审批轨迹 · ${a.entityName}`),
    el(
      'p',
      { class: 'muted' },
      `统一社会信用代码 ${a.uscc} · 事项 ${a.itemCode} · 区划 ${a.regionCode} · 审批部门 ${a.approverDepartment} · 决定时间 ${fmtTime(a.decidedAt)}`,
    ),
    panel('全流程时间线（审批 → 监管 → 执法 → 信用）', el('ol', { class: 'timeline', id: 'timeline' }, ...items)),
  );
}

function summary(event: Row): string {
  const d = event.data ?? {};
  const parts = [
    d.assignedDepartment && `承接部门 ${d.assignedDepartment}`,
    d.department && `部门 ${d.department}`,
    d.handler && `承办人 ${d.handler}`,
    d.claimDeadline && `认领期限 ${fmtTime(d.claimDeadline)}`,
    d.reason && `理由 ${d.reason}`,
    d.result && `结果 ${d.result === 'compliant' ? '合规' : '不合规'}`,
    d.decisionNumber && `决定书 ${d.decisionNumber}`,
    d.tier && `信用等级 ${d.tier}`,
    d.outcome && `结果 ${d.outcome}`,
  ].filter(Boolean);
  return parts.join('，');
}

// ---------- routing, refresh, sign-in ----------

const VIEWS: Record<string, (main: HTMLElement) => Promise<void>> = { overview, queue, overdue, vacuum, enforcement, inspection, health };

let showing: Promise<void> | null = null;
let showAgain = false;

/** Renders the current view; calls while one renders are folded into one more render after it. */
async function show(): Promise<void> {
  if (showing) {
    showAgain = true;
    return showing;
  }
  showing = render().finally(() => {
    showing = null;
    if (showAgain) {
      showAgain = false;
      void show();
    }
  });
  return showing;
}

/**
 * The filters each view's figures and lists can apply. The others are disabled on that view, with a note
 * saying which apply, instead of being accepted and silently ignored: an enforcement case or a random
 * inspection belongs to a department and an entity, not to an approval's division or item.
 */
const VIEW_FILTERS: Record<string, string[]> = {
  overview: ['from', 'to', 'regionCode', 'department', 'itemCode'],
  queue: ['from', 'to', 'regionCode', 'department', 'itemCode'],
  overdue: ['regionCode', 'department', 'itemCode'],
  vacuum: ['regionCode', 'department', 'itemCode'],
  enforcement: ['from', 'to', 'department'],
  inspection: ['from', 'to', 'department'],
  health: [],
  trail: [],
};

function applyViewFilters(view: string) {
  const applicable = VIEW_FILTERS[view] ?? VIEW_FILTERS.overview;
  const form = $<HTMLFormElement>('filters');
  const ignored: string[] = [];
  for (const input of form.querySelectorAll<HTMLInputElement>('input[name]')) {
    input.disabled = !applicable.includes(input.name);
    if (input.disabled && !input.closest<HTMLElement>('[hidden]'))
      ignored.push(form.querySelector(`label[for="${input.id}"]`)?.textContent ?? input.name);
  }
  form.querySelector<HTMLButtonElement>('button[type="submit"]')!.disabled = applicable.length === 0;
  $('filters-note').textContent =
    ignored.length === 0 ? '' : applicable.length === 0 ? '本页不使用筛选条件' : `本页不按${ignored.join('、')}筛选`;
}

async function render() {
  const main = $('main');
  const hash = location.hash.replace(/^#\/?/, '') || 'overview';
  const [view, argument] = hash.split('/');
  // What the status line says (a claim, a failure) is about the view it was said on: another view starts without it.
  if (view !== currentView) say('');
  currentView = view;
  applyViewFilters(view);
  for (const link of document.querySelectorAll<HTMLAnchorElement>('.tabs a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  try {
    if (view === 'trail' && argument) await trail(main, argument);
    else await (VIEWS[view] ?? overview)(main);
    $('updated').textContent = `更新于 ${fmtTime(new Date().toISOString())}`;
    main.setAttribute('data-loaded', view);
    // Milliseconds since navigation start when the view was last rendered (read by bench/console.bench.ts).
    main.setAttribute('data-loaded-ms', String(Math.round(performance.now())));
  } catch (error) {
    say(`加载失败：${(error as Error).message}`);
  }
}

function scheduleRefresh() {
  window.clearInterval(refreshTimer);
  refreshTimer = window.setInterval(() => {
    // Live refresh, but never under the user's hands: not while a dialog is open or a field is being typed in.
    const active = document.activeElement;
    if ($<HTMLDialogElement>('return-dialog').open || (active && active.tagName === 'INPUT' && active.closest('main'))) return;
    if (currentView !== 'trail') void show();
  }, session?.refreshMs ?? 10000);
}

async function signIn(key: string, remembered: Session | null = null) {
  sessionStorage.setItem(KEY_STORAGE, key);
  const to = $<HTMLInputElement>('f-to');
  const from = $<HTMLInputElement>('f-from');
  if (!to.value) to.value = chinaToday();
  if (!from.value) from.value = dayFormat.format(new Date(Date.now() - 29 * 86_400_000));
  // The overview opened with a key but not yet its session (a new tab, a bookmark): its figures (and
  // charts) are asked for while the key is checked, not after (ADR 0045).
  if (!remembered && /^#\/?overview$/.test(location.hash)) sendEarly(overviewPath());
  try {
    session = remembered ?? (await api<Session>('/session'));
  } catch (error) {
    early.clear();
    sessionStorage.removeItem(KEY_STORAGE);
    $('sign-in-error').textContent = `登录失败：${(error as Error).message}`;
    return;
  }
  sessionStorage.setItem(SESSION_STORAGE, JSON.stringify(session));
  // A remembered session is checked while the page draws: a key revoked meanwhile signs out.
  if (remembered) void api<Session>('/session').catch(signOut);
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = session.department;
  $('who-role').textContent = session.operator ? '运维部门' : '业务部门';
  $('f-department-box').hidden = !session.operator;
  if (!location.hash) location.hash = session.operator ? '#/overview' : '#/queue';
  await show();
  early.clear();
  $('main').focus();
  scheduleRefresh();
}

function signOut() {
  sessionStorage.removeItem(KEY_STORAGE);
  sessionStorage.removeItem(SESSION_STORAGE);
  window.clearInterval(refreshTimer);
  session = null;
  location.hash = '';
  location.reload();
}

$<HTMLFormElement>('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  $('sign-in-error').textContent = '';
  void signIn($<HTMLInputElement>('api-key').value.trim());
});
$('sign-out').addEventListener('click', signOut);
$<HTMLFormElement>('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  void show();
});
window.addEventListener('hashchange', () => {
  if (session) void show();
});
window.addEventListener('resize', () => {
  if (typeof echarts === 'undefined') return;
  for (const node of document.querySelectorAll<HTMLElement>('.chart')) echarts.getInstanceByDom(node)?.resize();
});
// A chart whose box leaves the page (a live refresh redraws the view in new boxes, or another view
// replaces it) is disposed at once: ECharts keeps every instance, with its canvas and listeners, in a
// registry of its own until then, so a console left open on the overview would gain two every refresh.
new MutationObserver((records) => {
  if (typeof echarts === 'undefined') return;
  for (const record of records) {
    for (const node of record.removedNodes) {
      if (!(node instanceof HTMLElement) || node.isConnected) continue;
      const boxes = node.matches('.chart') ? [node] : node.querySelectorAll<HTMLElement>('.chart');
      for (const box of boxes) echarts.getInstanceByDom(box)?.dispose();
    }
  }
}).observe($('main'), { childList: true, subtree: true });
const saved = sessionStorage.getItem(KEY_STORAGE);
if (saved) {
  let remembered: Session | null = null;
  try {
    remembered = JSON.parse(sessionStorage.getItem(SESSION_STORAGE) ?? 'null') as Session | null;
  } catch {
    remembered = null;
  }
  void signIn(saved, remembered);
}
