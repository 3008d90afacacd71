import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { RecordVerificationRequest } from './record-verification.request.dto';
import { RecordVerificationService } from './record-verification.service';

@ApiTags('commitments')
@Controller('commitment-verifications')
export class RecordVerificationHttpController {
  constructor(private readonly service: RecordVerificationService) {}

  @Roles('regulator')
  @Post(':id/result')
  @HttpCode(200)
  @ApiOperation({ summary: 'The supervising department records whether the commitment was fulfilled or breached' })
  record(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: RecordVerificationRequest) {
    return this.service.record(id, caller.department, request);
  }
}
