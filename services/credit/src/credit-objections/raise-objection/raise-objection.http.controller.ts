import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { UsccPipe } from '../../credit-records/uscc.pipe';
import { RaiseObjectionRequest } from './raise-objection.request.dto';
import { RaiseObjectionService } from './raise-objection.service';

@ApiTags('credit-objections')
@Controller('credit-records/:uscc/objections')
export class RaiseObjectionHttpController {
  constructor(private readonly service: RaiseObjectionService) {}

  @Roles('repair-applicant')
  @Post()
  @ApiOperation({ summary: 'Raise an objection (异议申诉) against one record entry' })
  @ApiCreatedResponse({ description: 'The objection, received' })
  @ApiBadRequestResponse({ description: 'INVALID_USCC or VALIDATION_FAILED naming field and rule; nothing written' })
  async raise(@CurrentCaller() caller: Caller, @Param('uscc', UsccPipe) uscc: string, @Body() request: RaiseObjectionRequest) {
    return this.service.raise(caller.department, uscc, request);
  }
}
