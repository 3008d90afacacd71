import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, EntityAccess, Roles } from '@backbone/platform';
import { assertActsFor } from '../../credit-records/entity-scope';
import { UsccParam } from '../../credit-records/uscc-param.request.dto';
import { RaiseObjectionRequest } from './raise-objection.request.dto';
import { RaiseObjectionService } from './raise-objection.service';

@ApiTags('credit-objections')
@Controller('credit-records/:uscc/objections')
export class RaiseObjectionHttpController {
  constructor(private readonly service: RaiseObjectionService) {}

  @Roles('repair-applicant')
  @EntityAccess()
  @Post()
  @ApiOperation({
    summary: "Raise an objection (异议申诉) against one record entry, on the entity's behalf or by the entity itself (its own USCC only)",
  })
  @ApiForbiddenResponse({ description: "NOT_OWN_ENTITY: an entity's credential for another entity's USCC" })
  @ApiCreatedResponse({ description: 'The objection, received' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming field and rule (a bad USCC: field uscc, rule isUscc); nothing written' })
  async raise(@CurrentCaller() caller: Caller, @Param() { uscc }: UsccParam, @Body() request: RaiseObjectionRequest) {
    assertActsFor(caller, uscc);
    return this.service.raise(caller.department, uscc, request);
  }
}
