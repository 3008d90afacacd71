import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@backbone/platform';
import { CreditObjection } from '../credit-objection.entity';

@ApiTags('credit-objections')
@Controller('credit-objections')
export class GetCreditObjectionHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id')
  @ApiOperation({ summary: 'An objection, how it is handled and its answer' })
  @ApiNotFoundResponse({ description: 'CREDIT_OBJECTION_NOT_FOUND' })
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const objection = await this.dataSource.getRepository(CreditObjection).findOneBy({ id });
    if (!objection) throw new NotFoundError('credit objection', id);
    return objection;
  }
}
