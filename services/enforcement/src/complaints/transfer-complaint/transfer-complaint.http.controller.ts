import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { EnforcementConfig, knownDepartments } from '../../enforcement.config';
import { lockOwnComplaint } from '../complaint-access';
import { ComplaintErrors } from '../complaint.errors';
import { transition } from '../complaint.rules';
import { complaintView } from '../complaint.view';
import { TransferComplaintRequest } from './transfer-complaint.request.dto';

@ApiTags('complaints')
@Controller('complaints')
export class TransferComplaintHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: EnforcementConfig,
  ) {}

  @Post(':id/transfer')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Transfer a registered complaint to the competent department (转办), which must be a department of this system; ' +
      'it handles and answers it from then on, by the same deadline',
  })
  @ApiOkResponse({ description: 'The complaint, now the receiving department’s' })
  @ApiConflictResponse({ description: 'COMPLAINT_NOT_REGISTERED' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_DEPARTMENT, TRANSFER_TO_SELF' })
  transfer(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: TransferComplaintRequest) {
    return this.dataSource.transaction(async (manager) => {
      const complaint = await lockOwnComplaint(manager, id, caller.department);
      complaint.status = transition(complaint, 'transfer');
      if (request.toDepartment === caller.department) throw ComplaintErrors.transferToSelf(id, caller.department);
      if (!knownDepartments(this.config).has(request.toDepartment)) throw ComplaintErrors.unknownDepartment(request.toDepartment);
      complaint.transfers = [
        ...complaint.transfers,
        {
          fromDepartment: caller.department,
          toDepartment: request.toDepartment,
          transferredBy: request.transferredBy,
          reason: request.reason,
          at: new Date().toISOString(),
        },
      ];
      complaint.department = request.toDepartment;
      await manager.save(complaint);
      return complaintView(complaint);
    });
  }
}
