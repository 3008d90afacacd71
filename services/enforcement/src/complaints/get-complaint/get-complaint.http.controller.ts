import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, isOperator, NotFoundError } from '@backbone/platform';
import { EnforcementConfig } from '../../enforcement.config';
import { lockOwnComplaint } from '../complaint-access';
import { Complaint } from '../complaint.entity';
import { complaintView } from '../complaint.view';

@ApiTags('complaints')
@Controller('complaints')
export class GetComplaintHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: EnforcementConfig,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: "A complaint of the caller's department (operators: any)" })
  async get(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string) {
    if (isOperator(this.config, caller.department)) {
      const complaint = await this.dataSource.getRepository(Complaint).findOneBy({ id });
      if (!complaint) throw new NotFoundError('complaint', id);
      return complaintView(complaint);
    }
    return this.dataSource.transaction(async (manager) => complaintView(await lockOwnComplaint(manager, id, caller.department)));
  }
}
