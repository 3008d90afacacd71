import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { taskView } from '../task.view';
import { ReturnTaskRequest } from './return-task.request.dto';
import { ReturnTaskService } from './return-task.service';

@ApiTags('tasks')
@Controller('tasks')
export class ReturnTaskHttpController {
  constructor(private readonly service: ReturnTaskService) {}

  @Roles('regulator')
  @Post(':id/return')
  @HttpCode(200)
  @ApiOperation({ summary: 'Return a task the caller is not responsible for, with the reason; it is re-routed or waits for an operator' })
  async returnTask(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: ReturnTaskRequest) {
    return taskView(await this.service.returnTask(id, caller.department, request.reason));
  }
}
