import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';
import { assertOperator, Caller, CurrentCaller } from '@backbone/platform';
import { InspectionConfig } from '../../inspection.config';
import { InspectionSweep } from './inspection-sweep.service';

export class RunInspectionSweepRequest {
  @ApiPropertyOptional({ description: 'Sweep as of this instant (default now)' }) @IsOptional() @IsDateString() asOf?: string;
}

@ApiTags('admin')
@Controller('admin/inspection-sweeps')
export class RunInspectionSweepHttpController {
  constructor(
    private readonly sweep: InspectionSweep,
    private readonly config: InspectionConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Runs the publication and deadline sweep now (operator departments)' })
  async run(@CurrentCaller() caller: Caller, @Body() request: RunInspectionSweepRequest) {
    assertOperator(this.config, caller.department, 'run the inspection sweep');
    return this.sweep.run(request.asOf ? new Date(request.asOf) : new Date());
  }
}
