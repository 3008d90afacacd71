import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, SERVICE_CONFIG } from '@backbone/platform';
import type { ConsoleConfig } from '../../console.config';
import { scopedDepartment } from '../../scope';
import { InspectionFiguresQuery } from '../figures.request.dto';
import { GetInspectionFiguresService } from './get-inspection-figures.service';

@ApiTags('figures')
@Controller('figures/inspection')
export class GetInspectionFiguresHttpController {
  constructor(
    private readonly service: GetInspectionFiguresService,
    @Inject(SERVICE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Random inspections (双随机、一公开) per department for a period: plans published; tasks drawn, entities drawn, checks done by ' +
      'their working-day deadline and overdue; results, problems, published by their deadline, late and awaiting; per stratum the ' +
      'sampling ratio achieved; coverage of the target register; a daily trend with working days marked',
  })
  figures(@CurrentCaller() caller: Caller, @Query() query: InspectionFiguresQuery) {
    return this.service.figures(query, scopedDepartment(this.config, caller.department, query.department));
  }
}
