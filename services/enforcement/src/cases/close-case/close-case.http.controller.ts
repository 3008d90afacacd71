import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { caseView } from '../case.view';
import { CloseCaseRequest } from './close-case.request.dto';
import { CloseCaseService } from './close-case.service';

@ApiTags('cases')
@Controller('cases')
export class CloseCaseHttpController {
  constructor(private readonly service: CloseCaseService) {}

  @Roles('enforcer')
  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a case: after execution, or without penalty before a decision. Emits case closed.' })
  @ApiOkResponse({ description: 'The case, closed' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION (a decided case is closed only once executed)' })
  async close(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: CloseCaseRequest) {
    const { enforcementCase, decision } = await this.service.close(id, caller.department, request);
    return caseView(enforcementCase, decision);
  }
}
