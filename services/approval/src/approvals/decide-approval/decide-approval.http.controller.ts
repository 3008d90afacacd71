import { Body, Controller, HttpStatus, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { HoldPolicy } from '../../holds/hold-policy';
import { approvalView } from '../approval.view';
import { DecideApprovalRequest } from './decide-approval.request.dto';
import { DecideApprovalService } from './decide-approval.service';

@ApiTags('approvals')
@Controller('approvals')
export class DecideApprovalHttpController {
  constructor(
    private readonly service: DecideApprovalService,
    private readonly holds: HoldPolicy,
  ) {}

  @Roles('approver')
  @Post()
  @ApiOperation({
    summary:
      "Record an approval decision of the caller's department after the credit check (逢办必查); starts the double push, or holds it while the entity has an open case",
  })
  @ApiCreatedResponse({ description: 'Recorded; the approval with its correlation id' })
  @ApiOkResponse({ description: 'This application was recorded before, with the same particulars; the earlier approval' })
  @ApiConflictResponse({
    description: 'APPLICATION_NUMBER_CONFLICT: the number was recorded with other particulars; details.fields names them',
  })
  @ApiBadRequestResponse({ description: 'Invalid input; each problem names its field and rule. Nothing is written.' })
  @ApiUnprocessableEntityResponse({
    description:
      'Refused by joint punishment (e.g. JOINT_PUNISHMENT_NO_COMMITMENT); only the credit check is recorded (GET /credit-checks)',
  })
  async decide(@CurrentCaller() caller: Caller, @Body() request: DecideApprovalRequest, @Res({ passthrough: true }) response: Response) {
    const { approval, created } = await this.service.decide(caller.department, request);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return approvalView(approval, this.holds);
  }
}
