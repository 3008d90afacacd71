import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertOperator, Caller, CurrentCaller, Roles } from '@backbone/platform';
import { SupervisionConfig } from '../../supervision.config';
import { RunDeadlineSweepRequest } from './run-deadline-sweep.request.dto';
import { RunDeadlineSweepService } from './run-deadline-sweep.service';

@ApiTags('admin')
@Controller('admin/deadline-sweeps')
export class RunDeadlineSweepHttpController {
  constructor(
    private readonly service: RunDeadlineSweepService,
    @Inject(SupervisionConfig) private readonly config: SupervisionConfig,
  ) {}

  @Roles('operator')
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Operators only: run the deadline sweep now (reminders, escalations, unlicensed-operation clues), as of an instant',
  })
  async run(@CurrentCaller() caller: Caller, @Body() request: RunDeadlineSweepRequest) {
    assertOperator(this.config, caller.department, 'run the deadline sweep');
    return this.service.sweep(request.asOf ? new Date(request.asOf) : new Date());
  }
}
