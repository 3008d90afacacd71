import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { LicenceLifecycle } from '../../licences/licence-lifecycle.service';
import { LICENCE_STATES } from '../../licences/licence-transitions';
import { ApprovalChangeService } from '../approval-change.service';
import { HoldPolicy } from '../../holds/hold-policy';
import { approvalView } from '../approval.view';
import { CancelApprovalRequest } from './cancel-approval.request.dto';

@ApiTags('approvals')
@Controller('approvals')
export class CancelApprovalHttpController {
  constructor(
    private readonly changes: ApprovalChangeService,
    private readonly licences: LicenceLifecycle,
    private readonly holds: HoldPolicy,
  ) {}

  @Roles('approver')
  @Post(':id/cancellation')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Cancel an approval (approving department only): the licence becomes cancelled; emits approval changed and licence status changed',
  })
  async cancel(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: CancelApprovalRequest) {
    const approval = await this.changes.change(caller.department, id, {
      change: 'cancelled',
      reason: request.reason,
      stillSupervised: request.stillSupervised,
      // The transition table decides (a revoked or cancelled licence cannot be cancelled: 409).
      allowedLicenceStates: LICENCE_STATES,
      apply: (approval, manager) =>
        this.licences
          .transition(manager, approval, { to: 'cancelled', reason: `approval cancelled: ${request.reason}`, onIllegal: 'refuse' })
          .then(() => undefined),
    });
    return approvalView(approval, this.holds);
  }
}
