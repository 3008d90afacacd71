import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, CurrentCaller, SERVICE_CONFIG } from '@backbone/platform';
import type { ConsoleConfig } from '../../console.config';
import { scopedDepartment } from '../../scope';
import { OverviewFiguresQuery } from '../figures.request.dto';
import { CHART_WIDTH_STEP } from '../overview-charts';
import { DutyOverview, GetDutyFiguresService, withServerTiming } from './get-duty-figures.service';
import { OverviewChartsSvg, overviewChartsSvg } from './overview-charts.svg';

@ApiTags('figures')
@Controller('figures/overview')
export class GetDutyOverviewHttpController {
  constructor(
    private readonly service: GetDutyFiguresService,
    @Inject(SERVICE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "The console overview's figures in one answer: GET /figures/duty per department (totals, daily trend, rows) and its rows " +
      'per item as `byItem`; the same filters (groupBy is ignored). With charts=svg, also `charts`: the trend and ' +
      'department charts drawn as SVG (the page shows them until its interactive charts are ready)',
  })
  overview(
    @CurrentCaller() caller: Caller,
    @Query() query: OverviewFiguresQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DutyOverview & { charts?: OverviewChartsSvg }> {
    const department = scopedDepartment(this.config, caller.department, query.department);
    const { charts, chartWidth, ...figures } = query;
    return withServerTiming(response, async (timings) => {
      const overview = await this.service.overview(figures, department, new Date(), timings);
      if (charts !== 'svg') return overview;
      const width = Math.round((chartWidth ?? 1280) / CHART_WIDTH_STEP) * CHART_WIDTH_STEP;
      return { ...overview, charts: await overviewChartsSvg(overview, width, timings) };
    });
  }
}
