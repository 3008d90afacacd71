import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ArrayContains, DataSource, FindOptionsWhere, IsNull } from 'typeorm';
import { NotFoundError } from '@backbone/platform';
import { RiskWarning, riskWarningView } from '../risk-warning.entity';

class ListRiskWarningsQuery {
  @ApiPropertyOptional({ description: "'true' (default): only warnings not yet ended; 'false': all, newest first (at most 500)" })
  @IsOptional()
  @IsIn(['true', 'false'])
  open?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Only the warnings notified to this department', example: '320700-SAMR' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  notifiedDepartment?: string;
}

/** Risk warnings are published (000 三(二)3): every department reads them, and which tasks each one touched. */
@ApiTags('risk-warnings')
@Controller('risk-warnings')
export class GetRiskWarningHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Risk warnings (open ones by default), optionally those notified to one department' })
  async list(@Query() query: ListRiskWarningsQuery) {
    const where: FindOptionsWhere<RiskWarning> = {
      ...(query.open !== 'false' ? { endedAt: IsNull() } : {}),
      ...(query.notifiedDepartment ? { notifiedDepartments: ArrayContains([query.notifiedDepartment]) } : {}),
    };
    const warnings = await this.dataSource.getRepository(RiskWarning).find({ where, order: { raisedAt: 'DESC', id: 'ASC' }, take: 500 });
    return { warnings: warnings.map(riskWarningView) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A risk warning and the new tasks whose claim deadline it tightened' })
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const warning = await this.dataSource.getRepository(RiskWarning).findOneBy({ id });
    if (!warning) throw new NotFoundError('risk warning', id);
    const tasks = await this.dataSource.query(
      `SELECT task_id AS "taskId", assigned_department AS "assignedDepartment", normal_claim_days AS "normalClaimDays",
              claim_days AS "claimDays", claim_deadline AS "claimDeadline", applied_at AS "appliedAt"
       FROM task_risk_warning WHERE warning_id = $1 ORDER BY applied_at, task_id LIMIT 1000`,
      [id],
    );
    return { ...riskWarningView(warning), tasks };
  }
}
