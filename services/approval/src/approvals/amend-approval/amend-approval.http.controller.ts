import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, DomainError, Roles } from '@backbone/platform';
import { ApprovalChangeService } from '../approval-change.service';
import { HoldPolicy } from '../../holds/hold-policy';
import { approvalView } from '../approval.view';
import { AmendApprovalRequest } from './amend-approval.request.dto';
import { ApprovalError } from '../../approval.errors';

@ApiTags('approvals')
@Controller('approvals')
export class AmendApprovalHttpController {
  constructor(
    private readonly changes: ApprovalChangeService,
    private readonly holds: HoldPolicy,
  ) {}

  @Roles('approver')
  @Post(':id/amendments')
  @HttpCode(200)
  @ApiOperation({ summary: 'Amend an approval (approving department only); emits approval changed (amended)' })
  async amend(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: AmendApprovalRequest) {
    const { reason, ...particulars } = request;
    if (Object.values(particulars).every((value) => value === undefined)) {
      throw new DomainError(ApprovalError.NOTHING_TO_AMEND, 'give at least one of entityName, licenceNumber, regionCode', 400);
    }
    const approval = await this.changes.change(caller.department, id, {
      change: 'amended',
      reason,
      allowedLicenceStates: ['active', 'suspended'],
      apply: (approval) => {
        if (particulars.entityName !== undefined) approval.entityName = particulars.entityName;
        if (particulars.licenceNumber !== undefined) approval.licenceNumber = particulars.licenceNumber;
        if (particulars.regionCode !== undefined) approval.regionCode = particulars.regionCode;
      },
    });
    return approvalView(approval, this.holds);
  }
}
