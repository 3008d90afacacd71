import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { caseView } from '../case.view';
import { ExecuteDecisionRequest } from './execute-decision.request.dto';
import { ExecuteDecisionService } from './execute-decision.service';
import { EnforcementError } from '../../enforcement.errors';

@ApiTags('cases')
@Controller('cases')
export class ExecuteDecisionHttpController {
  constructor(private readonly service: ExecuteDecisionService) {}

  @Post(':id/execution')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the execution of the decision (served → executed)' })
  @ApiOkResponse({ description: 'The case, executed' })
  @ApiConflictResponse({ description: EnforcementError.ILLEGAL_TRANSITION })
  async execute(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: ExecuteDecisionRequest) {
    const { enforcementCase, decision } = await this.service.execute(id, caller.department, request);
    return caseView(enforcementCase, decision);
  }
}
