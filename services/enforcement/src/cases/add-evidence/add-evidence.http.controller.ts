import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { AddEvidenceRequest } from './add-evidence.request.dto';
import { AddEvidenceService } from './add-evidence.service';
import { EnforcementError } from '../../enforcement.errors';

@ApiTags('cases')
@Controller('cases')
export class AddEvidenceHttpController {
  constructor(private readonly service: AddEvidenceService) {}

  @Post(':id/evidence')
  @ApiOperation({ summary: 'Add an evidence item (who, what, reference) to a case under investigation' })
  @ApiCreatedResponse({ description: 'The evidence item' })
  @ApiConflictResponse({ description: EnforcementError.CASE_NOT_INVESTIGATING })
  async add(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: AddEvidenceRequest) {
    const { evidence } = await this.service.add(id, caller.department, request);
    return evidence;
  }
}
