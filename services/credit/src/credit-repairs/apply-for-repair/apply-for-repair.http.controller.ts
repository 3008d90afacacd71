import { Body, Controller, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Caller, CurrentCaller, EntityAccess, Roles } from '@backbone/platform';
import { assertActsFor } from '../../credit-records/entity-scope';
import { UsccParam } from '../../credit-records/uscc-param.request.dto';
import { ApplyForRepairRequest } from './apply-for-repair.request.dto';
import { ApplyForRepairService } from './apply-for-repair.service';

@ApiTags('credit-repairs')
@Controller('credit-records/:uscc/repairs')
export class ApplyForRepairHttpController {
  constructor(private readonly service: ApplyForRepairService) {}

  @Roles('repair-applicant')
  @EntityAccess()
  @Post()
  @ApiOperation({
    summary:
      "Apply for credit repair (信用修复) of one record entry, on the entity's behalf or by the entity itself (its own credential, its own USCC only); a credit authority decides",
  })
  @ApiCreatedResponse({ description: 'The application, pending' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming field and rule (a bad USCC: field uscc, rule isUscc); nothing written' })
  @ApiConflictResponse({ description: 'REPAIR_ALREADY_PENDING (add evidence to it instead) or ENTRY_NO_LONGER_VALID' })
  @ApiForbiddenResponse({ description: "NOT_OWN_ENTITY: an entity's credential for another entity's USCC" })
  async apply(@CurrentCaller() caller: Caller, @Param() { uscc }: UsccParam, @Body() request: ApplyForRepairRequest) {
    assertActsFor(caller, uscc);
    return this.service.apply(caller.department, uscc, request);
  }
}
