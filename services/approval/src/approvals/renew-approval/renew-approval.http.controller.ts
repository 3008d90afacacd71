import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, DomainError, Roles } from '@backbone/platform';
import { ApprovalChangeService } from '../approval-change.service';
import { HoldPolicy } from '../../holds/hold-policy';
import { approvalView } from '../approval.view';
import { RenewApprovalRequest } from './renew-approval.request.dto';
import { ApprovalError } from '../../approval.errors';

@ApiTags('approvals')
@Controller('approvals')
export class RenewApprovalHttpController {
  constructor(
    private readonly changes: ApprovalChangeService,
    private readonly holds: HoldPolicy,
  ) {}

  @Roles('approver')
  @Post(':id/renewals')
  @HttpCode(200)
  @ApiOperation({ summary: 'Renew an approval: extend validUntil (approving department only); emits approval changed (renewed)' })
  async renew(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: RenewApprovalRequest) {
    const validUntil = new Date(request.validUntil);
    const approval = await this.changes.change(caller.department, id, {
      change: 'renewed',
      reason: request.reason,
      // An expired licence is not renewed: a new application is made.
      allowedLicenceStates: ['active', 'suspended'],
      apply: (approval) => {
        const floor = approval.validUntil && approval.validUntil > new Date() ? approval.validUntil : new Date();
        if (validUntil <= floor) {
          throw new DomainError(
            ApprovalError.RENEWAL_NOT_LATER,
            `validUntil ${validUntil.toISOString()} must be later than ${floor.toISOString()}`,
          );
        }
        approval.validUntil = validUntil;
      },
    });
    return approvalView(approval, this.holds);
  }
}
