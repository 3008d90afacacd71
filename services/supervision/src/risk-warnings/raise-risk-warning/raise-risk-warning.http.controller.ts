import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { riskWarningView } from '../risk-warning.entity';
import { RaiseRiskWarningRequest } from './raise-risk-warning.request.dto';
import { RaiseRiskWarningService } from './raise-risk-warning.service';

@ApiTags('risk-warnings')
@Controller('risk-warnings')
export class RaiseRiskWarningHttpController {
  constructor(private readonly service: RaiseRiskWarningService) {}

  @Roles('risk-warning', 'operator')
  @Post()
  @ApiOperation({
    summary:
      'Raise a risk warning (风险预警): the departments supervising the scope are notified; while active, new tasks in the scope ' +
      'get a tighter claim deadline, approvals in the scope a stricter review, random inspections of the scope a higher ratio',
  })
  @ApiCreatedResponse({ description: 'The warning, with the departments notified' })
  async raise(@CurrentCaller() caller: Caller, @Body() request: RaiseRiskWarningRequest) {
    return riskWarningView(await this.service.raise(caller.department, request));
  }
}
