import { Controller, Get, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { assertOperator, Caller, CurrentCaller, Roles } from '@backbone/platform';
import { EnforcementConfig } from '../../enforcement.config';
import { Complaint } from '../complaint.entity';
import { ComplaintFilters, filterComplaints } from '../complaint-filters';
import { complaintView } from '../complaint.view';

export class ListAllComplaintsQuery extends ComplaintFilters {
  @ApiPropertyOptional({ description: 'Only this handling department' }) @IsOptional() @IsString() @Length(1, 64) department?: string;
  @ApiPropertyOptional({ description: 'At most this many complaints (default 200)', minimum: 1, maximum: 1000 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/**
 * The operators' view across departments (督办): per department, how many complaints are open, overdue,
 * escalated and answered (late ones counted), and the complaints that match, soonest deadline first.
 */
@ApiTags('complaints')
@Controller('admin/complaints')
export class ListAllComplaintsHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: EnforcementConfig,
  ) {}

  @Roles('operator')
  @Get()
  @ApiOperation({ summary: 'Operators only: complaints across departments, with a summary per department' })
  @ApiForbiddenResponse({ description: 'OPERATOR_ONLY' })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListAllComplaintsQuery) {
    assertOperator(this.config, caller.department, 'see complaints across departments');
    const now = new Date();
    const summary: Array<Record<string, string | number>> = await this.dataSource.query(
      `SELECT department,
              count(*) FILTER (WHERE status <> 'answered')::int AS open,
              count(*) FILTER (WHERE status <> 'answered' AND answer_deadline < $1)::int AS overdue,
              count(*) FILTER (WHERE escalated_at IS NOT NULL AND status <> 'answered')::int AS escalated,
              count(*) FILTER (WHERE status = 'answered')::int AS answered,
              count(*) FILTER (WHERE status = 'answered' AND answered_at > answer_deadline)::int AS "answeredLate"
         FROM complaint GROUP BY department ORDER BY department`,
      [now],
    );
    const builder = this.dataSource.getRepository(Complaint).createQueryBuilder('c');
    if (query.department) builder.andWhere('c.department = :department', { department: query.department });
    const complaints = await filterComplaints(builder, query, now)
      .take(query.limit ?? 200)
      .getMany();
    return { asOf: now, summary, complaints: complaints.map((complaint) => complaintView(complaint, now)) };
  }
}
