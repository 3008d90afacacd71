import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, CurrentCaller, SERVICE_CONFIG } from '@backbone/platform';
import type { ConsoleConfig } from '../../console.config';
import { scopedDepartment } from '../../scope';
import { FiguresQuery } from '../figures.request.dto';
import { GetDutyFiguresService, withServerTiming } from './get-duty-figures.service';

@ApiTags('figures')
@Controller('figures/duty')
export class GetDutyFiguresHttpController {
  constructor(
    private readonly service: GetDutyFiguresService,
    @Inject(SERVICE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Duty figures per department or item for a period: pushed, claimed (in time), overdue, reminded, escalated, returned, ' +
      're-routed, closed, association rate, claim time in office hours, supervision vacuum; with a daily trend (working days marked)',
  })
  figures(@CurrentCaller() caller: Caller, @Query() query: FiguresQuery, @Res({ passthrough: true }) response: Response) {
    const department = scopedDepartment(this.config, caller.department, query.department);
    return withServerTiming(response, (timings) => this.service.figures(query, department, new Date(), timings));
  }
}
