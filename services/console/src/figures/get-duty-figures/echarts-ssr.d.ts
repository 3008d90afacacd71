/**
 * The part of ECharts' CommonJS build (echarts/dist/echarts.min.js, the pinned npm package) that the
 * server's SVG drawing of the overview charts uses (overview-charts.svg.ts, ADR 0045).
 */
declare module 'echarts/dist/echarts.min.js' {
  interface SsrChart {
    setOption(option: unknown): void;
    renderToSVGString(): string;
    dispose(): void;
  }
  export function init(dom: null, theme: null, options: { renderer: 'svg'; ssr: true; width: number; height: number }): SsrChart;
}
