import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { DataSource, LessThan, Not } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { COMPLAINT_STATUSES, Complaint, ComplaintStatus } from '../complaint.entity';
import { complaintView } from '../complaint.view';

export class ListComplaintsQuery {
  @ApiPropertyOptional({ enum: COMPLAINT_STATUSES }) @IsOptional() @IsIn(COMPLAINT_STATUSES) status?: ComplaintStatus;
  @ApiPropertyOptional({ description: 'Only unanswered complaints past their answer deadline', type: Boolean })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
}

/** The work queue of a department: its complaints, by answer deadline, with whether each is overdue. */
@ApiTags('complaints')
@Controller('complaints')
export class ListComplaintsHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: "The caller's department's complaints, soonest answer deadline first, with overdue and days waiting" })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListComplaintsQuery) {
    const now = new Date();
    const complaints = await this.dataSource.getRepository(Complaint).find({
      where: {
        department: caller.department,
        ...(query.status ? { status: query.status } : {}),
        ...(query.overdue ? { answerDeadline: LessThan(now), ...(query.status ? {} : { status: Not('answered' as const) }) } : {}),
      },
      order: { answerDeadline: 'ASC', id: 'ASC' },
      take: 500,
    });
    return complaints.map((complaint) => complaintView(complaint, now));
  }
}
