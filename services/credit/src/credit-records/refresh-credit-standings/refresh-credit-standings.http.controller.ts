import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';
import { assertOperator, Caller, CurrentCaller } from '@backbone/platform';
import { CreditConfig } from '../../credit.config';
import { RefreshCreditStandingsService } from './refresh-credit-standings.service';

export class RefreshCreditStandingsRequest {
  @ApiPropertyOptional({ description: 'The instant the refresh judges by (default: now)', example: '2026-12-01T02:00:00Z' })
  @IsOptional()
  @IsDateString()
  asOf?: string;
}

@ApiTags('admin')
@Controller('admin/credit-refreshes')
export class RefreshCreditStandingsHttpController {
  constructor(
    private readonly service: RefreshCreditStandingsService,
    private readonly config: CreditConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Operators only: recompute now every stored standing whose time has come (facts ageing out, later-dated facts)',
  })
  async run(@CurrentCaller() caller: Caller, @Body() request: RefreshCreditStandingsRequest) {
    assertOperator(this.config, caller.department, 'run the credit refresh');
    return this.service.refresh(request.asOf ? new Date(request.asOf) : new Date());
  }
}
