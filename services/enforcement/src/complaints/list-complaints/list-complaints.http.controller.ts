import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { Complaint } from '../complaint.entity';
import { ComplaintFilters, filterComplaints } from '../complaint-filters';
import { complaintView } from '../complaint.view';

export class ListComplaintsQuery extends ComplaintFilters {}

/** The work queue of a department: its complaints, by answer deadline, with whether each is overdue. */
@ApiTags('complaints')
@Controller('complaints')
export class ListComplaintsHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: "The caller's department's complaints, soonest answer deadline first, with overdue and days waiting" })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListComplaintsQuery) {
    const now = new Date();
    const builder = this.dataSource.getRepository(Complaint).createQueryBuilder('c').where('c.department = :department', {
      department: caller.department,
    });
    const complaints = await filterComplaints(builder, query, now).take(500).getMany();
    return complaints.map((complaint) => complaintView(complaint, now));
  }
}
