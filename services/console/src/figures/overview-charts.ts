/**
 * The overview's two charts as ECharts options, built from GET /figures/overview's answer. One source
 * for both drawings of them (ADR 0045): the server's SVG of the first paint (overview-charts.svg.ts) and
 * the page's interactive chart that replaces it (web/app.ts, bundled in). Plain data in, plain options
 * out: no DOM, no Node, no ECharts import.
 */

/** The chart boxes' height in the page (styles.css `.chart`), and so the height of the server's SVG. */
export const CHART_HEIGHT = 300;
/** The widths the server draws at (px): the page's chart box, rounded to CHART_WIDTH_STEP (it scales the rest). */
export const CHART_WIDTH_MIN = 320;
export const CHART_WIDTH_MAX = 2560;
export const CHART_WIDTH_STEP = 10;

export interface TrendChartDay {
  day: string;
  workingDay: boolean;
  pushed: number;
  claimed: number;
  escalated: number;
  vacuum: number;
}

export interface DepartmentChartRow {
  key: string;
  pushed: number;
  claimed: number;
  overdueUnclaimed: number;
}

/** At most this many day labels under a trend chart (~45 px each in a tablet's chart box). */
const DAY_LABELS = 15;

/**
 * The day axis's labels, counted back from the last day: the last day (today, where the newest figures
 * are) is always labelled, then every `step`th day before it. ECharts' own choice counts from the first
 * day, and left today without a date whenever the count of days did not fall on its step. (A function in
 * the option: the server's SVG cache key, the option's JSON, leaves it out; it follows the count of days,
 * which the key has.)
 */
export function dayAxisLabel(days: number): { interval: (index: number) => boolean } {
  const step = Math.max(1, Math.ceil(days / DAY_LABELS));
  return { interval: (index) => (days - 1 - index) % step === 0 };
}

/** Pushed (bars) and claimed, escalated, vacuum (lines) per day; non-working days shaded. */
export function trendChartOption(trend: TrendChartDay[]) {
  const days = trend.map((d) => d.day.slice(5));
  const offDays = trend.filter((d) => !d.workingDay).map((d) => [{ xAxis: d.day.slice(5) }, { xAxis: d.day.slice(5) }]);
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['推送', '认领', '升级', '监管真空'] },
    grid: { left: 40, right: 20, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: days, axisLabel: dayAxisLabel(days.length) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: '推送',
        type: 'bar',
        data: trend.map((d) => d.pushed),
        itemStyle: { color: '#0b5cad' },
        markArea: { silent: true, itemStyle: { color: 'rgba(120,120,120,0.12)' }, data: offDays },
      },
      { name: '认领', type: 'line', data: trend.map((d) => d.claimed), itemStyle: { color: '#1a7f37' } },
      { name: '升级', type: 'line', data: trend.map((d) => d.escalated), itemStyle: { color: '#b42318' } },
      { name: '监管真空', type: 'line', data: trend.map((d) => d.vacuum), itemStyle: { color: '#8a5300' } },
    ],
  };
}

/** Pushed, claimed and overdue unclaimed per department (bars). */
export function departmentChartOption(rows: DepartmentChartRow[]) {
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['推送', '认领', '超期未认领'] },
    grid: { left: 40, right: 20, top: 36, bottom: 50 },
    xAxis: { type: 'category', data: rows.map((r) => r.key), axisLabel: { rotate: 20 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '推送', type: 'bar', data: rows.map((r) => r.pushed), itemStyle: { color: '#0b5cad' } },
      { name: '认领', type: 'bar', data: rows.map((r) => r.claimed), itemStyle: { color: '#1a7f37' } },
      { name: '超期未认领', type: 'bar', data: rows.map((r) => r.overdueUnclaimed), itemStyle: { color: '#b42318' } },
    ],
  };
}
