import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, CurrentCaller, SERVICE_CONFIG } from '@backbone/platform';
import type { ConsoleConfig } from '../../console.config';
import { scopedDepartment } from '../../scope';
import { FiguresQuery } from '../figures.request.dto';
import { GetDutyFiguresService, QueryTimings, serverTiming } from './get-duty-figures.service';

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
  async overview(@CurrentCaller() caller: Caller, @Query() query: FiguresQuery, @Res({ passthrough: true }) response: Response) {
    const started = performance.now();
    const timings: QueryTimings = [];
    const answer = await this.service.overview(
      query,
      scopedDepartment(this.config, caller.department, query.department),
      new Date(),
      timings,
    );
    response.setHeader('Server-Timing', serverTiming(timings, performance.now() - started));
    return answer;
  }
}
