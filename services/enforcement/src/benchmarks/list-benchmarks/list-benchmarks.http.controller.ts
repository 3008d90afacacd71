import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { Public } from '@backbone/platform';
import { DiscretionBenchmark } from '../discretion-benchmark.entity';

export class ListBenchmarksQuery {
  @ApiPropertyOptional({ example: 'FOOD-HYGIENE-01' }) @IsOptional() @Matches(/^[A-Z0-9-]{1,64}$/) violationCode?: string;
}

/** The discretion benchmarks are public (行政执法公示: basis, kind and range of penalties). */
@ApiTags('benchmarks')
@Controller('benchmarks')
export class ListBenchmarksHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Discretion benchmarks: per violation code and severity, the basis, measures, fine range and list treatment' })
  list(@Query() query: ListBenchmarksQuery) {
    return this.dataSource.getRepository(DiscretionBenchmark).find({
      where: query.violationCode ? { violationCode: query.violationCode } : {},
      order: { violationCode: 'ASC', severity: 'ASC' },
    });
  }
}
