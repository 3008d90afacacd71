import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, SERVICE_CONFIG } from '@backbone/platform';
import type { ConsoleConfig } from '../../console.config';
import { scopedDepartment } from '../../scope';
import { EnforcementFiguresQuery } from '../figures.request.dto';
import { GetEnforcementFiguresService } from './get-enforcement-figures.service';

@ApiTags('figures')
@Controller('figures/enforcement')
export class GetEnforcementFiguresHttpController {
  constructor(
    private readonly service: GetEnforcementFiguresService,
    @Inject(SERVICE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Enforcement cases opened in the period by source, severity and department; closed by outcome; penalties by kind; ' +
      'transfers; open now; entities per credit tier and list',
  })
  figures(@CurrentCaller() caller: Caller, @Query() query: EnforcementFiguresQuery) {
    return this.service.figures(query, scopedDepartment(this.config, caller.department, query.department));
  }
}
