import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { caseView } from '../case.view';
import { StartInvestigationRequest } from './start-investigation.request.dto';
import { StartInvestigationService } from './start-investigation.service';

@ApiTags('cases')
@Controller('cases')
export class StartInvestigationHttpController {
  constructor(private readonly service: StartInvestigationService) {}

  @Roles('enforcer')
  @Post(':id/investigation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start the investigation of an opened case (opened → investigating)' })
  @ApiOkResponse({ description: 'The case, investigating' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION (details name from and to)' })
  async start(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: StartInvestigationRequest) {
    const { enforcementCase, decision } = await this.service.start(id, caller.department, request);
    return caseView(enforcementCase, decision);
  }
}
