import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { lockOwnComplaint } from '../complaint-access';
import { complaintView } from '../complaint.view';

@ApiTags('complaints')
@Controller('complaints')
export class GetComplaintHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id')
  @ApiOperation({ summary: "A complaint of the caller's department" })
  get(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.dataSource.transaction(async (manager) => complaintView(await lockOwnComplaint(manager, id, caller.department)));
  }
}
