import { createHash } from 'node:crypto';
import { CHART_HEIGHT, departmentChartOption, trendChartOption } from '../overview-charts';
import type { init } from 'echarts/dist/echarts.min.js';
import type { DutyOverview, QueryTimings } from './get-duty-figures.service';

/** The overview's two charts drawn as SVG for the page's first paint (ADR 0045). */
export interface OverviewChartsSvg {
  trend: string;
  departments: string;
}

let ssrInit: Promise<typeof init> | undefined;

/**
 * ECharts (the pinned npm package) for Node: its CommonJS build (the package's ES modules do not load
 * in every runtime the service and its tests use), with the SVG renderer. Loaded on the first drawing,
 * not at start-up: a console that never serves a first page does not pay for it.
 */
function echartsSsr(): Promise<typeof init> {
  ssrInit ??= import('echarts/dist/echarts.min.js').then((echarts) => echarts.init);
  return ssrInit;
}

/** The last drawings, by what they draw (the option and the width): most first pages show unchanged figures. */
const CACHE_SIZE = 64;
const cache = new Map<string, string>();

async function svg(option: Record<string, unknown>, width: number): Promise<string> {
  // No tooltip on a picture: the page's interactive chart, which replaces it, has one.
  const drawn = { ...option, tooltip: undefined };
  const key = createHash('sha1')
    .update(`${width}\n${JSON.stringify(drawn)}`)
    .digest('base64');
  const cached = cache.get(key);
  if (cached !== undefined) {
    cache.delete(key); // most recently used last
    cache.set(key, cached);
    return cached;
  }
  const chart = (await echartsSsr())(null, null, { renderer: 'svg', ssr: true, width, height: CHART_HEIGHT });
  try {
    chart.setOption(drawn);
    const text = chart.renderToSVGString();
    cache.set(key, text);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return text;
  } finally {
    chart.dispose();
  }
}

/**
 * The overview's trend and department charts as SVG documents `width` × CHART_HEIGHT px, drawn by
 * ECharts on the server from the same options the page's interactive charts use (overview-charts.ts),
 * so the first paint needs no chart code in the browser. Each drawing is kept (a small LRU) by what it
 * draws, so a first page with unchanged figures costs no drawing; the time is reported as `charts-svg`.
 */
export async function overviewChartsSvg(overview: DutyOverview, width: number, timings: QueryTimings): Promise<OverviewChartsSvg> {
  const started = performance.now();
  const trend = await svg(trendChartOption(overview.trend), width);
  const departments = await svg(departmentChartOption(overview.rows), width);
  timings.push(['charts-svg', performance.now() - started]);
  return { trend, departments };
}
