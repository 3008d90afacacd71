import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, DomainError } from '@backbone/platform';
import { lockOwnComplaint } from '../complaint-access';
import { Complaint } from '../complaint.entity';
import { TransferComplaintRequest } from './transfer-complaint.request.dto';
import { EnforcementError } from '../../enforcement.errors';

@ApiTags('complaints')
@Controller('complaints')
export class TransferComplaintHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Post(':id/transfer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Transfer a registered complaint to the competent department (转办); it handles and answers it from then on' })
  @ApiOkResponse({ description: 'The complaint, now the receiving department’s' })
  @ApiConflictResponse({ description: EnforcementError.COMPLAINT_NOT_REGISTERED })
  transfer(
    @CurrentCaller() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() request: TransferComplaintRequest,
  ): Promise<Complaint> {
    return this.dataSource.transaction(async (manager) => {
      const complaint = await lockOwnComplaint(manager, id, caller.department);
      if (complaint.status !== 'registered')
        throw new DomainError(
          EnforcementError.COMPLAINT_NOT_REGISTERED,
          `complaint ${id} is ${complaint.status}: only a registered complaint is transferred`,
          409,
        );
      if (request.toDepartment === caller.department)
        throw new DomainError(EnforcementError.TRANSFER_TO_SELF, `complaint ${id} is already ${caller.department}'s`, 422);
      complaint.transfers = [
        ...(complaint.transfers ?? []),
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
      return complaint;
    });
  }
}
