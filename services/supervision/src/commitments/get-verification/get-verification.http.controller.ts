import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { DataSource, FindOptionsWhere, Raw } from 'typeorm';
import { IsUscc } from '@backbone/contracts';
import { CommitmentVerification } from '../commitment-verification.entity';
import { Caller, CurrentCaller, isOperator } from '@backbone/platform';
import { SupervisionConfig } from '../../supervision.config';

class ListVerificationsQuery {
  @IsOptional() @IsUUID() approvalId?: string;
  @IsOptional() @IsUscc() uscc?: string;
}

@ApiTags('commitments')
@Controller('commitment-verifications')
export class GetVerificationHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: SupervisionConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "The caller's commitment verifications (operators: all) by approval or entity, with due date, result, and whether it is overdue",
  })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListVerificationsQuery) {
    const now = Date.now();
    const where: FindOptionsWhere<CommitmentVerification> = {
      ...(query.approvalId ? { approvalId: query.approvalId } : {}),
      ...(query.uscc ? { uscc: query.uscc } : {}),
      // Scoped: the verifications of the caller's tasks (supervising or approving department); operators: all.
      ...(isOperator(this.config, caller.department)
        ? {}
        : {
            taskId: Raw(
              (column) => `${column} IN (SELECT id FROM supervision_task WHERE assigned_department = :d OR approver_department = :d)`,
              {
                d: caller.department,
              },
            ),
          }),
    };
    const rows = await this.dataSource.getRepository(CommitmentVerification).find({ where, order: { dueAt: 'ASC' }, take: 500 });
    return rows.map((row) => ({ ...row, overdue: row.verifiedAt === null && row.dueAt.getTime() < now }));
  }
}
