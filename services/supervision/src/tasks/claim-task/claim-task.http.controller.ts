import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { taskView } from '../task.view';
import { ClaimTaskRequest } from './claim-task.request.dto';
import { ClaimTaskService } from './claim-task.service';

@ApiTags('tasks')
@Controller('tasks')
export class ClaimTaskHttpController {
  constructor(private readonly service: ClaimTaskService) {}

  @Roles('regulator')
  @Post(':id/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Claim a supervision task (assigned department only); the claim flows back to the approver' })
  async claim(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: ClaimTaskRequest) {
    return taskView(await this.service.claim(id, caller.department, request.handler));
  }
}
