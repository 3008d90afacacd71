import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CreditCheck } from '../credit-check.entity';
import { ListCreditChecksQuery } from './list-credit-checks.request.dto';

@ApiTags('credit checks')
@Controller('credit-checks')
export class ListCreditChecksHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: "Every credit check (逢办必查) made on an entity's applications, refused ones included, newest first" })
  async list(@Query() query: ListCreditChecksQuery) {
    const checks = await this.dataSource.getRepository(CreditCheck).find({ where: { uscc: query.uscc }, order: { id: 'DESC' }, take: 500 });
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
