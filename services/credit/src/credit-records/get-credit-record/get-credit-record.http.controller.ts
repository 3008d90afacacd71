import { Controller, Get, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { usccProblem } from '@backbone/contracts';
import { DomainError, Public } from '@backbone/platform';
import { CreditEntry } from '../credit-entry.entity';
import { creditRecordView } from '../credit-record.view';

/** Throws INVALID_USCC (400) naming the broken rule, or returns the USCC. */
export function validUscc(uscc: string): string {
  const problem = usccProblem(uscc);
  if (problem === 'shape') {
    throw new DomainError('INVALID_USCC', 'uscc: must be an 18-character unified social credit code (digits and A-Y without I, O, S, V, Z)', 400, { rule: 'shape' });
  }
  if (problem === 'check-character') {
    throw new DomainError('INVALID_USCC', 'uscc: has a wrong check character (GB 32100-2015)', 400, { rule: 'check-character' });
  }
  return uscc;
}

@ApiTags('credit-records')
@Controller('credit-records')
export class GetCreditRecordHttpController {
  constructor(private readonly dataSource: DataSource) {}

  /** Public: penalty decisions and inspection results are published by law (publicity, 双随机一公开). */
  @Public()
  @Get(':uscc')
  @ApiOperation({ summary: "An entity's credit record: penalties and inspections in the order they occurred (public, no API key)" })
  @ApiParam({ name: 'uscc', description: 'Unified social credit code (GB 32100-2015)', example: '91320700MA1XXXXX00' })
  @ApiOkResponse({ description: 'The record; an entity with no entries has an empty record' })
  @ApiBadRequestResponse({ description: 'INVALID_USCC: the rule broken (shape or check character) is named' })
  async get(@Param('uscc') uscc: string) {
    validUscc(uscc);
    const entries = await this.dataSource.getRepository(CreditEntry).find({ where: { uscc }, order: { occurredAt: 'ASC', id: 'ASC' } });
    return creditRecordView(uscc, entries);
  }
}
