import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, DomainError } from '@backbone/platform';
import { ApprovalChangeService } from '../approval-change.service';
import { approvalView } from '../approval.view';
import { ConvertApprovalRequest } from './convert-approval.request.dto';

@ApiTags('approvals')
@Controller('approvals')
export class ConvertApprovalHttpController {
  constructor(private readonly changes: ApprovalChangeService) {}

  @Post(':id/conversions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Convert an approval to a filing or a commitment (approving department only); emits approval changed' })
  async convert(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: ConvertApprovalRequest) {
    const approval = await this.changes.change(caller.department, id, {
      change: request.to === 'filing' ? 'converted_to_filing' : 'converted_to_commitment',
      reason: request.reason,
      allowedLicenceStates: ['active', 'suspended'],
      apply: (approval) => {
        if (approval.kind === request.to) throw new DomainError('ALREADY_CONVERTED', `approval ${approval.id} is already a ${request.to}`, 409);
        approval.kind = request.to;
      },
    });
    return approvalView(approval);
  }
}
