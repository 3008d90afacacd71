import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, SERVICE_CONFIG } from '@backbone/platform';
import type { ConsoleConfig } from '../../console.config';
import { scopedDepartment } from '../../scope';

class ListRiskWarningsQuery {
  @ApiPropertyOptional({ description: 'Operators: any department or all; others: their own (the default)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  department?: string;
}

/**
 * The active risk warnings notified to a department (docs/domain.md §8), the most serious first: the top
 * of its work queue. While one is active, its new tasks in the scope come with fewer days to claim.
 */
@ApiTags('queue')
@Controller('queue')
export class ListRiskWarningsHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get('risk-warnings')
  @ApiOperation({ summary: 'Active risk warnings notified to a department (its own; operators: any or all), most serious first' })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListRiskWarningsQuery) {
    const department = scopedDepartment(this.config, caller.department, query.department);
    const now = new Date();
    const warnings = await this.dataSource.query(ACTIVE_RISK_WARNINGS, [now, department ?? null]);
    return { warnings };
  }
}

/**
 * The warnings active at $1 notified to $2 (a department, or null: all), the most serious first. Found by
 * `risk_warning_notice_unlifted` among those not lifted whose end is still ahead, not among every warning
 * ever raised (ADR 0084).
 */
export const ACTIVE_RISK_WARNINGS = `SELECT warning_id AS "warningId", reference, level, title, raised_by AS "raisedBy", departments, scope, concerns,
    measures, starts_at AS "startsAt", ends_at AS "endsAt"
  FROM risk_warning_notice
  WHERE ended_at IS NULL AND starts_at <= $1 AND ends_at > $1 AND ($2::text IS NULL OR $2 = ANY (departments))
  ORDER BY array_position(ARRAY['red', 'orange', 'yellow', 'blue'], level), starts_at, warning_id LIMIT 200`;
