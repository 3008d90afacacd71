import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource, FindOptionsWhere } from 'typeorm';
import { IsUscc } from '@backbone/contracts';
import { NotFoundError } from '@backbone/platform';
import { LicenceTransition } from '../../licences/licence-transition.entity';
import { Approval, PublicationStatus } from '../approval.entity';
import { HoldPolicy } from '../../holds/hold-policy';
import { approvalView } from '../approval.view';
import { feedbackOf } from '../approval-feedback';

/** Both filters are optional: without either, the newest approvals (what the two filters together can read anyway). */
class ListApprovalsQuery {
  @ApiPropertyOptional({ description: 'The applicant entity' }) @IsOptional() @IsUscc() uscc?: string;
  @ApiPropertyOptional({ description: 'Published or held (while the entity has an open case)' })
  @IsOptional()
  @IsIn(['published', 'held'])
  publication?: PublicationStatus;
}

@ApiTags('approvals')
@Controller('approvals')
export class GetApprovalHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly holds: HoldPolicy,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: 'An approval, its licence and transitions, and what came back from supervision and enforcement' })
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const approval = await this.dataSource.getRepository(Approval).findOneBy({ id });
    if (!approval) throw new NotFoundError('approval', id);
    const feedback = await feedbackOf(this.dataSource.manager, approval);
    const transitions = await this.dataSource.getRepository(LicenceTransition).find({ where: { approvalId: id }, order: { id: 'ASC' } });
    return approvalView(approval, this.holds, feedback, transitions);
  }

  @Get()
  @ApiOperation({ summary: "An entity's approvals, or the held ones (publication=held), or all, newest first (at most 200)" })
  async list(@Query() query: ListApprovalsQuery) {
    const where: FindOptionsWhere<Approval> = {};
    if (query.uscc) where.uscc = query.uscc;
    if (query.publication) where.publicationStatus = query.publication;
    const approvals = await this.dataSource.getRepository(Approval).find({ where, order: { createdAt: 'DESC' }, take: 200 });
    return approvals.map((approval) => approvalView(approval, this.holds));
  }
}
