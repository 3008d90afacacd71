import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { caseView } from '../../cases/case.view';
import { RequestLegalReviewRequest } from './request-legal-review.request.dto';
import { RequestLegalReviewService } from './request-legal-review.service';
import { EnforcementError } from '../../enforcement.errors';

@ApiTags('legal review')
@Controller('cases')
export class RequestLegalReviewHttpController {
  constructor(private readonly service: RequestLegalReviewService) {}

  @Post(':id/legal-review-request')
  @ApiOperation({ summary: 'Submit a proposed major decision (or judicial transfer) for legal review (investigating → under_review)' })
  @ApiCreatedResponse({ description: 'The case and the pending review' })
  @ApiConflictResponse({ description: EnforcementError.ILLEGAL_TRANSITION })
  async request(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: RequestLegalReviewRequest) {
    const { enforcementCase, review } = await this.service.request(id, caller.department, request);
    return { case: caseView(enforcementCase), review };
  }
}
