import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, EntityAccess, Roles } from '@backbone/platform';
import { AddRepairEvidenceRequest } from './add-repair-evidence.request.dto';
import { AddRepairEvidenceService } from './add-repair-evidence.service';

@ApiTags('credit-repairs')
@Controller('credit-repairs')
export class AddRepairEvidenceHttpController {
  constructor(private readonly service: AddRepairEvidenceService) {}

  @Roles('repair-applicant', 'credit-authority')
  @EntityAccess()
  @Post(':id/evidence')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Add evidence to a pending repair application (补充材料): the entity itself (its own credential), the filing department or a credit authority',
  })
  @ApiOkResponse({ description: 'The application with the evidence added (`supplements` lists every addition)' })
  @ApiBadRequestResponse({ description: 'EVIDENCE_REQUIRED: neither rectification evidence nor a commitment given' })
  @ApiNotFoundResponse({ description: "CREDIT_REPAIR_NOT_FOUND (also another entity's application, seen with an entity's credential)" })
  @ApiConflictResponse({ description: 'REPAIR_NOT_PENDING: already decided' })
  add(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: AddRepairEvidenceRequest) {
    return this.service.add(caller, id, request);
  }
}
