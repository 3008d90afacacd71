import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { NotFoundError } from '@backbone/platform';
import { CreditRepair } from '../credit-repair.entity';

@ApiTags('credit-repairs')
@Controller('credit-repairs')
export class GetCreditRepairHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id')
  @ApiOperation({ summary: 'A repair application and its decision' })
  @ApiNotFoundResponse({ description: 'CREDIT_REPAIR_NOT_FOUND' })
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const repair = await this.dataSource.getRepository(CreditRepair).findOneBy({ id });
    if (!repair) throw new NotFoundError('credit repair', id);
    return repair;
  }
}
