import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_KEY_HEADER } from '@backbone/platform';
import { ServiceCalls } from '../../service-calls';
import { ClaimRequest, ReturnRequest } from './act-on-task.request.dto';

/**
 * Claim and return from the work bench: the console asks supervision on the department's behalf (with
 * its own key), so supervision's rules decide; the read model follows when the event comes back.
 */
@ApiTags('queue')
@Controller('queue')
export class ActOnTaskHttpController {
  constructor(private readonly calls: ServiceCalls) {}

  @Post(':taskId/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Claim a task (through supervision, as the signed-in department)' })
  claim(@Headers(API_KEY_HEADER) key: string, @Param('taskId', new ParseUUIDPipe()) taskId: string, @Body() request: ClaimRequest) {
    return this.calls.forward('supervision', 'POST', `/tasks/${taskId}/claim`, key, { handler: request.handler });
  }

  @Post(':taskId/return')
  @HttpCode(200)
  @ApiOperation({ summary: 'Return a task with the reason (through supervision, as the signed-in department)' })
  returnTask(@Headers(API_KEY_HEADER) key: string, @Param('taskId', new ParseUUIDPipe()) taskId: string, @Body() request: ReturnRequest) {
    return this.calls.forward('supervision', 'POST', `/tasks/${taskId}/return`, key, { reason: request.reason });
  }
}
