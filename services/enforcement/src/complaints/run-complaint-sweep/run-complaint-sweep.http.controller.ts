import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';
import { assertOperator, Caller, CurrentCaller } from '@backbone/platform';
import { EnforcementConfig } from '../../enforcement.config';
import { RunComplaintSweepService } from './run-complaint-sweep.service';

export class RunComplaintSweepRequest {
  @ApiPropertyOptional({ description: 'The instant the sweep judges deadlines by (default: now)', example: '2026-12-01T02:00:00Z' })
  @IsOptional()
  @IsDateString()
  asOf?: string;
}

@ApiTags('admin')
@Controller('admin/complaint-sweeps')
export class RunComplaintSweepHttpController {
  constructor(
    private readonly service: RunComplaintSweepService,
    private readonly config: EnforcementConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Operators only: run the complaint sweep now (reminders, escalations), as of an instant' })
  run(@CurrentCaller() caller: Caller, @Body() request: RunComplaintSweepRequest) {
    assertOperator(this.config, caller.department, 'run the complaint sweep');
    return this.service.sweep(request.asOf ? new Date(request.asOf) : new Date());
  }
}
