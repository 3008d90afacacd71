import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, CurrentCaller, SERVICE_CONFIG } from '@backbone/platform';
import type { ConsoleConfig } from '../../console.config';
import { scopedDepartment } from '../../scope';
import { FiguresQuery } from '../figures.request.dto';
import { GetDutyFiguresService, withServerTiming } from './get-duty-figures.service';

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
      'per item as `byItem`; the same filters (groupBy is ignored)',
  })
  overview(@CurrentCaller() caller: Caller, @Query() query: FiguresQuery, @Res({ passthrough: true }) response: Response) {
    const department = scopedDepartment(this.config, caller.department, query.department);
    return withServerTiming(response, (timings) => this.service.overview(query, department, new Date(), timings));
  }
}
