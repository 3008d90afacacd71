import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { caseView } from '../case.view';
import { ServeDecisionRequest } from './serve-decision.request.dto';
import { ServeDecisionService } from './serve-decision.service';
import { EnforcementError } from '../../enforcement.errors';

@ApiTags('cases')
@Controller('cases')
export class ServeDecisionHttpController {
  constructor(private readonly service: ServeDecisionService) {}

  @Post(':id/service')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the service of the decision document (decided → served)' })
  @ApiOkResponse({ description: 'The case, served' })
  @ApiConflictResponse({ description: EnforcementError.ILLEGAL_TRANSITION })
  async serve(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: ServeDecisionRequest) {
    const { enforcementCase, decision } = await this.service.serve(id, caller.department, request);
    return caseView(enforcementCase, decision);
  }
}
