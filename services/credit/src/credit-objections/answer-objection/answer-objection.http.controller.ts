import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { AnswerObjectionRequest, HandleObjectionRequest } from './answer-objection.request.dto';
import { AnswerObjectionService } from './answer-objection.service';
import { CreditError } from '../../credit.errors';

@ApiTags('credit-objections')
@Controller('credit-objections')
export class AnswerObjectionHttpController {
  constructor(private readonly service: AnswerObjectionService) {}

  @Post(':id/handling')
  @HttpCode(200)
  @ApiOperation({ summary: 'A credit authority takes up an objection (received → handling)' })
  @ApiForbiddenResponse({ description: CreditError.NOT_CREDIT_AUTHORITY })
  @ApiConflictResponse({ description: CreditError.OBJECTION_TRANSITION_NOT_ALLOWED })
  async handle(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: HandleObjectionRequest) {
    return this.service.handle(caller.department, id, request);
  }

  @Post(':id/answer')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A credit authority answers an objection; upheld corrects the record (entry invalid from effectiveFrom, tier recomputed)',
  })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED or EFFECTIVE_FROM_OUT_OF_RANGE; nothing written' })
  @ApiForbiddenResponse({ description: CreditError.NOT_CREDIT_AUTHORITY })
  @ApiConflictResponse({ description: 'OBJECTION_TRANSITION_NOT_ALLOWED or ENTRY_ALREADY_CORRECTED' })
  async answer(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: AnswerObjectionRequest) {
    return this.service.answer(caller.department, id, request);
  }
}
