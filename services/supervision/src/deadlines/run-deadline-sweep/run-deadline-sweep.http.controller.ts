import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, ForbiddenError } from '@backbone/platform';
import { SupervisionConfig } from '../../supervision.config';
import { RunDeadlineSweepRequest } from './run-deadline-sweep.request.dto';
import { RunDeadlineSweepService } from './run-deadline-sweep.service';

@ApiTags('admin')
@Controller('admin/deadline-sweeps')
export class RunDeadlineSweepHttpController {
  private readonly operators: Set<string>;

  constructor(
    private readonly service: RunDeadlineSweepService,
    @Inject(SupervisionConfig) config: SupervisionConfig,
  ) {
    this.operators = new Set(config.OPERATOR_DEPARTMENTS.split(','));
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Operators only: run the deadline sweep now (reminders, escalations, unlicensed-operation clues), as of an instant' })
  async run(@CurrentCaller() caller: Caller, @Body() request: RunDeadlineSweepRequest) {
    if (!this.operators.has(caller.department)) {
      throw new ForbiddenError('OPERATOR_ONLY', `only operator departments may run the deadline sweep; ${caller.department} is not one`);
    }
    return this.service.sweep(request.asOf ? new Date(request.asOf) : new Date());
  }
}
