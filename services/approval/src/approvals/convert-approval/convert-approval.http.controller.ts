import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { HoldPolicy } from '../../holds/hold-policy';
import { approvalView } from '../approval.view';
import { ConvertApprovalRequest } from './convert-approval.request.dto';
import { ConvertApprovalService } from './convert-approval.service';

@ApiTags('approvals')
@Controller('approvals')
export class ConvertApprovalHttpController {
  constructor(
    private readonly service: ConvertApprovalService,
    private readonly holds: HoldPolicy,
  ) {}

  @Roles('approver')
  @Post(':id/conversions')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Convert an approval to a filing or a commitment (approving department only); emits approval changed. ' +
      'A conversion to a commitment is credit-checked like a new commitment application.',
  })
  async convert(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: ConvertApprovalRequest) {
    return approvalView(await this.service.convert(caller.department, id, request), this.holds);
  }
}
