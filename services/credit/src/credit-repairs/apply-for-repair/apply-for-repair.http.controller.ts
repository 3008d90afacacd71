import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { UsccPipe } from '../../credit-records/uscc.pipe';
import { ApplyForRepairRequest } from './apply-for-repair.request.dto';
import { ApplyForRepairService } from './apply-for-repair.service';

@ApiTags('credit-repairs')
@Controller('credit-records/:uscc/repairs')
export class ApplyForRepairHttpController {
  constructor(private readonly service: ApplyForRepairService) {}

  @Roles('repair-applicant')
  @Post()
  @ApiOperation({ summary: 'Apply for credit repair (信用修复) of one record entry; a credit authority decides' })
  @ApiCreatedResponse({ description: 'The application, pending' })
  @ApiBadRequestResponse({ description: 'INVALID_USCC or VALIDATION_FAILED naming field and rule; nothing written' })
  @ApiConflictResponse({ description: 'REPAIR_ALREADY_PENDING or ENTRY_NO_LONGER_VALID' })
  async apply(@CurrentCaller() caller: Caller, @Param('uscc', UsccPipe) uscc: string, @Body() request: ApplyForRepairRequest) {
    return this.service.apply(caller.department, uscc, request);
  }
}
