import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { UsccParam } from '../../credit-records/uscc-param.request.dto';
import { RaiseObjectionRequest } from './raise-objection.request.dto';
import { RaiseObjectionService } from './raise-objection.service';

@ApiTags('credit-objections')
@Controller('credit-records/:uscc/objections')
export class RaiseObjectionHttpController {
  constructor(private readonly service: RaiseObjectionService) {}

  @Post()
  @ApiOperation({ summary: 'Raise an objection (异议申诉) against one record entry' })
  @ApiCreatedResponse({ description: 'The objection, received' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming field and rule (a bad USCC: field uscc, rule isUscc); nothing written' })
  async raise(@CurrentCaller() caller: Caller, @Param() { uscc }: UsccParam, @Body() request: RaiseObjectionRequest) {
    return this.service.raise(caller.department, uscc, request);
  }
}
