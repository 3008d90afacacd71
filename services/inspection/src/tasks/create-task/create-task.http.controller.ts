import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { taskView } from '../task.view';
import { CreateTaskRequest } from './create-task.request.dto';
import { CreateTaskService } from './create-task.service';

@ApiTags('tasks')
@Controller('tasks')
export class CreateTaskHttpController {
  constructor(private readonly service: CreateTaskService) {}

  @Post()
  @ApiOperation({
    summary: 'Creates a task led by the caller’s department: single or joint (lead + participants, one visit covers every item)',
  })
  @ApiCreatedResponse({ description: 'The task, status created' })
  async create(@CurrentCaller() caller: Caller, @Body() request: CreateTaskRequest) {
    return taskView(await this.service.create(caller.department, request));
  }
}
