/**
 * The console's own ECharts build: only what its pages draw (bar, line and pie charts on a grid, with
 * tooltip, legend, title and the mark areas that shade non-working days; canvas renderer). Bundled and
 * minified by esbuild at `npm run build` from the pinned `echarts` package into one script that defines
 * the global `echarts` (init, getInstanceByDom), about two thirds of the size of ECharts' common build
 * and with fewer components to run on every update (ADR 0045).
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkAreaComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { getInstanceByDom, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, MarkAreaComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export { getInstanceByDom, init };
