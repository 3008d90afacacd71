import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Caller, CurrentCaller } from '@backbone/platform';
import { caseView } from '../../cases/case.view';
import { RecordLegalReviewRequest } from './record-legal-review.request.dto';
import { RecordLegalReviewService } from './record-legal-review.service';
import { EnforcementError } from '../../enforcement.errors';

@ApiTags('legal review')
@Controller('cases')
export class RecordLegalReviewHttpController {
  constructor(private readonly service: RecordLegalReviewService) {}

  @Post(':id/legal-review')
  @HttpCode(200)
  @ApiOperation({ summary: 'The legal-review department approves or rejects the pending review (rejected → investigating)' })
  @ApiOkResponse({ description: 'The case and the review' })
  @ApiForbiddenResponse({ description: EnforcementError.NOT_LEGAL_REVIEW_DEPARTMENT })
  @ApiConflictResponse({ description: EnforcementError.NO_PENDING_REVIEW })
  @ApiUnprocessableEntityResponse({ description: 'REVIEWER_NOT_INDEPENDENT (recorded in the case record)' })
  async record(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string, @Body() request: RecordLegalReviewRequest) {
    const { enforcementCase, review } = await this.service.record(id, caller.department, request);
    return { case: caseView(enforcementCase), review };
  }
}
