import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { lockOwnComplaint } from '../complaint-access';
import { transition } from '../complaint.rules';
import { complaintView } from '../complaint.view';

export class AcceptComplaintRequest {
  @ApiProperty({ description: 'The officer who accepts it', example: '周敏' }) @IsString() @Length(1, 100) acceptedBy: string;
}

@ApiTags('complaints')
@Controller('complaints')
export class AcceptComplaintHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Post(':id/acceptance')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept a registered complaint (受理) in the department that handles it; the answer deadline runs on' })
  @ApiOkResponse({ description: 'The accepted complaint' })
  @ApiConflictResponse({ description: 'COMPLAINT_NOT_REGISTERED' })
  accept(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: AcceptComplaintRequest) {
    return this.dataSource.transaction(async (manager) => {
      const complaint = await lockOwnComplaint(manager, id, caller.department);
      complaint.status = transition(complaint, 'accept');
      complaint.acceptedAt = new Date();
      complaint.acceptedBy = request.acceptedBy;
      await manager.save(complaint);
      return complaintView(complaint);
    });
  }
}
