import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, EntityAccess, isOperator, NotFoundError } from '@backbone/platform';
import { entitySees } from '../../credit-records/entity-scope';
import { CreditObjection } from '../credit-objection.entity';
import { CreditConfig } from '../../credit.config';

@ApiTags('credit-objections')
@Controller('credit-objections')
export class GetCreditObjectionHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: CreditConfig,
  ) {}

  @EntityAccess()
  @Get(':id')
  @ApiOperation({ summary: 'An objection, how it is handled and its answer' })
  @ApiNotFoundResponse({ description: 'CREDIT_OBJECTION_NOT_FOUND' })
  async get(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string) {
    const objection = await this.dataSource.getRepository(CreditObjection).findOneBy({ id });
    // Read by the department that filed it, the entity itself, the credit authority and the operators only.
    const reader =
      objection &&
      (caller.entity !== undefined
        ? entitySees(caller, objection.uscc)
        : objection.raisedBy === caller.department ||
          this.config.isCreditAuthority(caller.department) ||
          isOperator(this.config, caller.department));
    if (!objection || !reader) throw new NotFoundError('credit objection', id);
    return objection;
  }
}
