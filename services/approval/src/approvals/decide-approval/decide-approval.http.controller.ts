import { Body, Controller, HttpStatus, OnApplicationBootstrap, Post, Res } from '@nestjs/common';
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
import { Caller, CurrentCaller, DirectRoutes, Roles } from '@backbone/platform';
import { HoldPolicy } from '../../holds/hold-policy';
import { approvalView, ApprovalView } from '../approval.view';
import { DecideApprovalRequest } from './decide-approval.request.dto';
import { DecideApprovalService } from './decide-approval.service';

@ApiTags('approvals')
@Controller('approvals')
export class DecideApprovalHttpController implements OnApplicationBootstrap {
  constructor(
    private readonly service: DecideApprovalService,
    private readonly holds: HoldPolicy,
    private readonly direct: DirectRoutes,
  ) {}

  /**
   * The ingest of every agency's approvals takes a path past Express and Nest when its headers allow,
   * with the same answer (ADR 0128): their layers were a third of approval's own CPU a loop.
   */
  onApplicationBootstrap(): void {
    this.direct.install({
      controller: DecideApprovalHttpController,
      handler: 'decide',
      body: DecideApprovalRequest,
      answer: (caller, request) => this.answer(caller, request),
    });
  }

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
    const { status, body } = await this.answer(caller, request);
    response.status(status);
    return body;
  }

  /** What either path answers: 201 and the new approval, or 200 and the one recorded before. */
  async answer(caller: Caller, request: DecideApprovalRequest): Promise<{ status: number; body: ApprovalView }> {
    const { approval, created } = await this.service.decide(caller.department, request);
    return { status: created ? HttpStatus.CREATED : HttpStatus.OK, body: approvalView(approval, this.holds) };
  }
}
