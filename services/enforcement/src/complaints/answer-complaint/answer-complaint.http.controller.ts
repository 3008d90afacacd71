import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, DomainError } from '@backbone/platform';
import { lockOwnComplaint } from '../complaint-access';
import { Complaint } from '../complaint.entity';
import { AnswerComplaintRequest } from './answer-complaint.request.dto';
import { EnforcementError } from '../../enforcement.errors';

@ApiTags('complaints')
@Controller('complaints')
export class AnswerComplaintHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Post(':id/answer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer the complainant (once)' })
  @ApiOkResponse({ description: 'The answered complaint' })
  @ApiConflictResponse({ description: EnforcementError.COMPLAINT_ALREADY_ANSWERED })
  answer(
    @CurrentCaller() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() request: AnswerComplaintRequest,
  ): Promise<Complaint> {
    return this.dataSource.transaction(async (manager) => {
      const complaint = await lockOwnComplaint(manager, id, caller.department);
      if (complaint.status === 'answered')
        throw new DomainError(
          EnforcementError.COMPLAINT_ALREADY_ANSWERED,
          `complaint ${id} was answered at ${complaint.answeredAt?.toISOString()}`,
          409,
        );
      Object.assign(complaint, { status: 'answered', answer: request.answer, answeredAt: new Date() });
      await manager.save(complaint);
      return complaint;
    });
  }
}
