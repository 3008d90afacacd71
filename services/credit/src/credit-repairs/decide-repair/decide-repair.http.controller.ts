import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { DecideRepairRequest } from './decide-repair.request.dto';
import { DecideRepairService } from './decide-repair.service';
import { CreditError } from '../../credit.errors';

@ApiTags('credit-repairs')
@Controller('credit-repairs')
export class DecideRepairHttpController {
  constructor(private readonly service: DecideRepairService) {}

  @Post(':id/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'A credit authority approves or rejects a repair; approval lifts the list entry and recomputes the tier' })
  @ApiOkResponse({ description: 'The decided application' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming field and rule; nothing written' })
  @ApiForbiddenResponse({ description: CreditError.NOT_CREDIT_AUTHORITY })
  @ApiConflictResponse({ description: 'REPAIR_ALREADY_DECIDED or ENTRY_NO_LONGER_VALID' })
  @ApiUnprocessableEntityResponse({ description: 'REPAIR_CONDITION_UNMET: details.conditions names each unmet condition' })
  async decide(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: DecideRepairRequest) {
    return this.service.decide(caller.department, id, request);
  }
}
