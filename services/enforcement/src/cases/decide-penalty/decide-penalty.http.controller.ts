import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { caseView } from '../case.view';
import { DecidePenaltyRequest } from './decide-penalty.request.dto';
import { DecidePenaltyService } from './decide-penalty.service';
import { EnforcementError } from '../../enforcement.errors';

@ApiTags('cases')
@Controller('cases')
export class DecidePenaltyHttpController {
  constructor(private readonly service: DecidePenaltyService) {}

  @Post(':id/decision')
  @ApiOperation({ summary: "Decide the penalty on an open case of the caller's department; flows to the approver and the credit record" })
  @ApiCreatedResponse({ description: 'Decided; the case with its decision' })
  @ApiBadRequestResponse({ description: 'Invalid input; each problem names its field and rule. Nothing is written.' })
  @ApiForbiddenResponse({ description: "NOT_CASE_DEPARTMENT: the case is another department's" })
  @ApiNotFoundResponse({ description: 'CASE_NOT_FOUND' })
  @ApiConflictResponse({ description: EnforcementError.CASE_ALREADY_DECIDED })
  async decide(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: DecidePenaltyRequest) {
    const { enforcementCase, decision } = await this.service.decide(id, caller.department, request);
    return caseView(enforcementCase, decision);
  }
}
