import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { caseView } from '../../cases/case.view';
import { complaintView } from '../complaint.view';
import { OpenCaseFromComplaintRequest } from './open-case-from-complaint.request.dto';
import { OpenCaseFromComplaintService } from './open-case-from-complaint.service';
import { EnforcementError } from '../../enforcement.errors';

@ApiTags('complaints')
@Controller('complaints')
export class OpenCaseFromComplaintHttpController {
  constructor(private readonly service: OpenCaseFromComplaintService) {}

  @Post(':id/case')
  @ApiOperation({ summary: 'Open an enforcement case from a registered or accepted complaint (accepting it)' })
  @ApiCreatedResponse({ description: 'The complaint and its case' })
  @ApiConflictResponse({ description: EnforcementError.COMPLAINT_NOT_REGISTERED })
  async open(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: OpenCaseFromComplaintRequest) {
    const { complaint, enforcementCase } = await this.service.open(id, caller.department, request);
    return { complaint: complaintView(complaint), case: caseView(enforcementCase) };
  }
}
