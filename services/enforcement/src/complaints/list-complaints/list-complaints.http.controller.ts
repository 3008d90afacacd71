import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { Complaint, ComplaintStatus } from '../complaint.entity';

const STATUSES: ComplaintStatus[] = ['registered', 'case_opened', 'answered'];

export class ListComplaintsQuery {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: ComplaintStatus;
}

/** Supervision of complaint handling (督办): a department's complaints, oldest first, with how long each has waited. */
@ApiTags('complaints')
@Controller('complaints')
export class ListComplaintsHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: "The caller's department's complaints, oldest first, with days waiting until answered" })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListComplaintsQuery) {
    const complaints = await this.dataSource.getRepository(Complaint).find({
      where: { department: caller.department, ...(query.status ? { status: query.status } : {}) },
      order: { registeredAt: 'ASC' },
      take: 500,
    });
    const now = Date.now();
    return complaints.map((complaint) => ({
      ...complaint,
      daysWaiting: Math.floor(((complaint.answeredAt?.getTime() ?? now) - complaint.registeredAt.getTime()) / 86_400_000),
    }));
  }
}
