import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { IsUscc } from '@backbone/contracts';
import { NotFoundError } from '@backbone/platform';
import { Approval, ApprovalFeedback } from '../approval.entity';
import { approvalView } from '../approval.view';

class ListApprovalsQuery {
  @IsUscc() uscc: string;
}

@ApiTags('approvals')
@Controller('approvals')
export class GetApprovalHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id')
  @ApiOperation({ summary: 'An approval, its licence, and what came back from supervision and enforcement' })
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const approval = await this.dataSource.getRepository(Approval).findOneBy({ id });
    if (!approval) throw new NotFoundError('approval', id);
    const feedback = await this.dataSource.getRepository(ApprovalFeedback).find({ where: { approvalId: id }, order: { id: 'ASC' } });
    return approvalView(approval, feedback);
  }

  @Get()
  @ApiOperation({ summary: "An entity's approvals, newest first" })
  async list(@Query() query: ListApprovalsQuery) {
    const approvals = await this.dataSource.getRepository(Approval).find({ where: { uscc: query.uscc }, order: { createdAt: 'DESC' }, take: 200 });
    return approvals.map((approval) => approvalView(approval));
  }
}
