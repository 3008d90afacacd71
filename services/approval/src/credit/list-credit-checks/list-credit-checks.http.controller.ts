import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CreditCheck } from '../credit-check.entity';
import { ListCreditChecksQuery } from './list-credit-checks.request.dto';
import { Caller, CurrentCaller, isOperator } from '@backbone/platform';
import { ApprovalConfig } from '../../approval.config';

@ApiTags('credit checks')
@Controller('credit-checks')
export class ListCreditChecksHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ApprovalConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "Every credit check (逢办必查) made on an entity's applications to the caller's department (operators: all), refused ones included, newest first",
  })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListCreditChecksQuery) {
    // Scoped: the checks made on the caller's department's applications; operators: all.
    const where = isOperator(this.config, caller.department) ? { uscc: query.uscc } : { uscc: query.uscc, department: caller.department };
    const checks = await this.dataSource.getRepository(CreditCheck).find({ where, order: { id: 'DESC' }, take: 500 });
    return checks.map((check) => ({
      id: check.id,
      uscc: check.uscc,
      applicationNumber: check.applicationNumber,
      department: check.department,
      kind: check.kind,
      tier: check.tier,
      lists: check.lists,
      measures: check.measures,
      result: check.result,
      code: check.code,
      reason: check.reason,
      approvalId: check.approvalId,
      at: check.at,
    }));
  }
}
