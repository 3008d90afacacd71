import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { taskView } from '../task.view';
import { HandAssignTaskRequest } from './hand-assign-task.request.dto';
import { HandAssignTaskService } from './hand-assign-task.service';

@ApiTags('tasks')
@Controller('tasks')
export class HandAssignTaskHttpController {
  constructor(private readonly service: HandAssignTaskService) {}

  @Roles('operator')
  @Post(':id/assignment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Operators only: assign a task by hand to a department (after a return no entry resolves)' })
  async assign(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: HandAssignTaskRequest) {
    return taskView(await this.service.assignByHand(id, caller.department, request));
  }
}
