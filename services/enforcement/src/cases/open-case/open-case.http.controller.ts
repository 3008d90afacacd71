import { Body, Controller, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { caseView } from '../case.view';
import { OpenCaseRequest } from './open-case.request.dto';
import { OpenCaseService } from './open-case.service';

@ApiTags('cases')
@Controller('cases')
export class OpenCaseHttpController {
  constructor(private readonly service: OpenCaseService) {}

  @Roles('enforcer')
  @Post()
  @ApiOperation({ summary: "Open a case by hand in the caller's department" })
  @ApiCreatedResponse({ description: 'The opened case' })
  @ApiBadRequestResponse({ description: 'Invalid input; each problem names its field and rule. Nothing is written.' })
  async open(@CurrentCaller() caller: Caller, @Body() request: OpenCaseRequest) {
    return caseView(await this.service.open(caller.department, request));
  }
}
