import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { RecordNotificationFeedbackRequest } from './record-notification-feedback.request.dto';
import { RecordNotificationFeedbackService } from './record-notification-feedback.service';

@ApiTags('registrations')
@Controller('notifications')
export class RecordNotificationFeedbackHttpController {
  constructor(private readonly service: RecordNotificationFeedbackService) {}

  @Roles('regulator')
  @Post(':id/feedback')
  @ApiOperation({ summary: 'The notified licensing department records its feedback (双反馈)' })
  record(
    @CurrentCaller() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() request: RecordNotificationFeedbackRequest,
  ) {
    return this.service.record(id, caller.department, request);
  }
}
