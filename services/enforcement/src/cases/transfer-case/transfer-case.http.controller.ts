import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { caseView } from '../case.view';
import { TransferCaseRequest } from './transfer-case.request.dto';
import { TransferCaseService } from './transfer-case.service';
import { EnforcementError } from '../../enforcement.errors';

@ApiTags('cases')
@Controller('cases')
export class TransferCaseHttpController {
  constructor(private readonly service: TransferCaseService) {}

  @Post(':id/transfer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Transfer a case to the competent department or to the judicial authorities; the case closes here' })
  @ApiOkResponse({ description: 'The case, transferred' })
  @ApiConflictResponse({ description: EnforcementError.ILLEGAL_TRANSITION })
  @ApiUnprocessableEntityResponse({ description: 'LEGAL_REVIEW_REQUIRED (judicial; recorded), TRANSFER_TO_SELF' })
  async transfer(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: TransferCaseRequest) {
    const { enforcementCase, decision } = await this.service.transfer(id, caller.department, request);
    return caseView(enforcementCase, decision);
  }
}
