import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ComplaintAnsweredV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { Caller, CurrentCaller } from '@backbone/platform';
import { lockOwnComplaint } from '../complaint-access';
import { transition } from '../complaint.rules';
import { complaintView } from '../complaint.view';
import { AnswerComplaintRequest } from './answer-complaint.request.dto';

@ApiTags('complaints')
@Controller('complaints')
export class AnswerComplaintHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  @Post(':id/answer')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Answer the complainant (答复), once, after acceptance; ComplaintAnsweredV1 carries the answer back to the channel (12345 ticket)',
  })
  @ApiOkResponse({ description: 'The answered complaint' })
  @ApiConflictResponse({ description: 'COMPLAINT_NOT_ACCEPTED, COMPLAINT_ALREADY_ANSWERED' })
  answer(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: AnswerComplaintRequest) {
    return this.dataSource.transaction(async (manager) => {
      const complaint = await lockOwnComplaint(manager, id, caller.department);
      complaint.status = transition(complaint, 'answer');
      complaint.answer = request.answer;
      complaint.answeredAt = new Date();
      await manager.save(complaint);
      await this.outbox.add(manager, ComplaintAnsweredV1, {
        subject: complaint.uscc,
        correlationId: complaint.id,
        data: {
          complaintId: complaint.id,
          uscc: complaint.uscc,
          channel: complaint.channel,
          ...(complaint.externalRef ? { externalRef: complaint.externalRef } : {}),
          department: complaint.department,
          answer: complaint.answer,
          answerDeadline: complaint.answerDeadline.toISOString(),
          answeredAt: complaint.answeredAt.toISOString(),
        },
      });
      return complaintView(complaint);
    });
  }
}
