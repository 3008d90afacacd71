import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertOperator, Caller, CurrentCaller, Roles } from '@backbone/platform';
import { ApprovalConfig } from '../../approval.config';
import { SweepLicencesRequest } from './sweep-licences.request.dto';
import { SweepLicencesService } from './sweep-licences.service';

@ApiTags('operations')
@Controller('admin/licence-sweeps')
export class SweepLicencesHttpController {
  constructor(
    private readonly sweeps: SweepLicencesService,
    private readonly config: ApprovalConfig,
  ) {}

  @Roles('operator')
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the licence sweep now (operator departments only): ended suspensions → active, ended validity → expired' })
  async sweep(@CurrentCaller() caller: Caller, @Body() request: SweepLicencesRequest) {
    assertOperator(this.config, caller.department, 'run the licence sweep');
    return this.sweeps.sweep(request.asOf ? new Date(request.asOf) : new Date());
  }
}
