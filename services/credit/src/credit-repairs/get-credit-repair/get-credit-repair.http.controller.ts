import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, EntityAccess, isOperator, NotFoundError } from '@backbone/platform';
import { entitySees } from '../../credit-records/entity-scope';
import { CreditRepair } from '../credit-repair.entity';
import { CreditConfig } from '../../credit.config';

@ApiTags('credit-repairs')
@Controller('credit-repairs')
export class GetCreditRepairHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: CreditConfig,
  ) {}

  @EntityAccess()
  @Get(':id')
  @ApiOperation({ summary: 'A repair application and its decision' })
  @ApiNotFoundResponse({ description: 'CREDIT_REPAIR_NOT_FOUND' })
  async get(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string) {
    const repair = await this.dataSource.getRepository(CreditRepair).findOneBy({ id });
    // Read by the department that filed it, the entity itself, the credit authority and the operators only.
    const reader =
      repair &&
      (caller.entity !== undefined
        ? entitySees(caller, repair.uscc)
        : repair.applicantDepartment === caller.department ||
          this.config.isCreditAuthority(caller.department) ||
          isOperator(this.config, caller.department));
    if (!repair || !reader) throw new NotFoundError('credit repair', id);
    return repair;
  }
}
