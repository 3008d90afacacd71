import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { UsccParam } from '../../credit-records/uscc-param.request.dto';
import { ApplyForRepairRequest } from './apply-for-repair.request.dto';
import { ApplyForRepairService } from './apply-for-repair.service';

@ApiTags('credit-repairs')
@Controller('credit-records/:uscc/repairs')
export class ApplyForRepairHttpController {
  constructor(private readonly service: ApplyForRepairService) {}

  @Post()
  @ApiOperation({ summary: 'Apply for credit repair (信用修复) of one record entry; a credit authority decides' })
  @ApiCreatedResponse({ description: 'The application, pending' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming field and rule (a bad USCC: field uscc, rule isUscc); nothing written' })
  @ApiConflictResponse({ description: 'REPAIR_ALREADY_PENDING or ENTRY_NO_LONGER_VALID' })
  async apply(@CurrentCaller() caller: Caller, @Param() { uscc }: UsccParam, @Body() request: ApplyForRepairRequest) {
    return this.service.apply(caller.department, uscc, request);
  }
}
