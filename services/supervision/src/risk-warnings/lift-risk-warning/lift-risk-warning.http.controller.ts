import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertOperator, Caller, CurrentCaller, Roles } from '@backbone/platform';
import { SupervisionConfig } from '../../supervision.config';
import { riskWarningView } from '../risk-warning.entity';
import { LiftRiskWarningRequest } from './lift-risk-warning.request.dto';
import { LiftRiskWarningService } from './lift-risk-warning.service';

@ApiTags('risk-warnings')
@Controller()
export class LiftRiskWarningHttpController {
  constructor(
    private readonly service: LiftRiskWarningService,
    @Inject(SupervisionConfig) private readonly config: SupervisionConfig,
  ) {}

  @Roles('risk-warning', 'operator')
  @Post('risk-warnings/:id/lift')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lift a risk warning (its department or an operator): normal rules again' })
  async lift(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: LiftRiskWarningRequest) {
    return riskWarningView(await this.service.lift(caller.department, id, request.note));
  }

  @Roles('operator')
  @Post('admin/risk-warning-expiries')
  @HttpCode(200)
  @ApiOperation({ summary: 'Operators only: expire now every risk warning past its end (the scheduler does it every sweep interval)' })
  async expire(@CurrentCaller() caller: Caller) {
    assertOperator(this.config, caller.department, 'expire risk warnings');
    return { expired: await this.service.expire(new Date()) };
  }
}
