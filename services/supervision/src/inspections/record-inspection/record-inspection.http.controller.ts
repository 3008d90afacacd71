import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { RecordInspectionRequest } from './record-inspection.request.dto';
import { RecordInspectionService } from './record-inspection.service';

@ApiTags('inspections')
@Controller('inspections')
export class RecordInspectionHttpController {
  constructor(private readonly service: RecordInspectionService) {}

  @Roles('regulator')
  @Post()
  @ApiOperation({ summary: "Record an inspection result of the caller's department" })
  @ApiCreatedResponse({ description: 'Recorded; violations go to enforcement, credit and the approver' })
  async record(@CurrentCaller() caller: Caller, @Body() request: RecordInspectionRequest) {
    const inspection = await this.service.record(caller.department, request);
    return { ...inspection };
  }
}
