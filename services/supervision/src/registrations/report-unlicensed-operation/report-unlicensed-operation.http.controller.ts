import { Body, Controller, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { ReportUnlicensedOperationRequest } from './report-unlicensed-operation.request.dto';
import { ReportUnlicensedOperationService } from './report-unlicensed-operation.service';

@ApiTags('registrations')
@Controller('unlicensed-operation-clues')
export class ReportUnlicensedOperationHttpController {
  constructor(private readonly service: ReportUnlicensedOperationService) {}

  @Roles('regulator')
  @Post()
  @ApiOperation({
    summary: 'Report unlicensed operation (无证无照); the clue goes to the market regulator or the department the law names',
  })
  report(@CurrentCaller() caller: Caller, @Body() request: ReportUnlicensedOperationRequest) {
    return this.service.report(caller.department, request);
  }
}
