import { Controller, Get, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { PatternPipe, Public } from '@backbone/platform';
import { inspectionFigures, keyCoverage } from './inspection-figures';

@ApiTags('public')
@Public()
@Controller('public/figures')
export class FiguresHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({
    summary:
      'Figures per plan, department and stratum: drawn, checked, completed on time, published on time, problem rate; key-entity coverage of the year',
  })
  @ApiQuery({ name: 'year', required: false })
  @ApiQuery({ name: 'planId', required: false })
  @ApiQuery({ name: 'department', required: false })
  async figures(
    @Query('year', new PatternPipe(/^\d{4}$/, 'four digits')) year?: string,
    @Query('planId', new ParseUUIDPipe({ optional: true })) planId?: string,
    @Query('department') department?: string,
  ) {
    const forYear = year ? Number(year) : new Date().getUTCFullYear();
    return {
      rows: await inspectionFigures(this.dataSource.manager, { year: year ? forYear : undefined, planId, department }),
      keyCoverage: await keyCoverage(this.dataSource.manager, forYear),
    };
  }
}
