import { Body, Controller, Param, ParseEnumPipe, Put } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, DomainError, ForbiddenError } from '@backbone/platform';
import { EnforcementConfig, legalReviewDepartments } from '../../enforcement.config';
import { Severity } from '../discretion';
import { DiscretionBenchmark } from '../discretion-benchmark.entity';
import { DefineBenchmarkRequest } from './define-benchmark.request.dto';
import { EnforcementError } from '../../enforcement.errors';

enum SeverityParam {
  minor = 'minor',
  general = 'general',
  serious = 'serious',
}

/** Creates or amends a benchmark; only the legal-review departments (法制机构) maintain them. */
@ApiTags('benchmarks')
@Controller('benchmarks')
export class DefineBenchmarkHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: EnforcementConfig,
  ) {}

  @Put(':violationCode/:severity')
  @ApiOperation({ summary: 'Create or amend the discretion benchmark of a violation code at a severity' })
  @ApiOkResponse({ description: 'The benchmark' })
  @ApiForbiddenResponse({ description: EnforcementError.NOT_LEGAL_REVIEW_DEPARTMENT })
  async define(
    @CurrentCaller() caller: Caller,
    @Param('violationCode') violationCode: string,
    @Param('severity', new ParseEnumPipe(SeverityParam)) severity: Severity,
    @Body() request: DefineBenchmarkRequest,
  ) {
    if (!legalReviewDepartments(this.config).includes(caller.department)) {
      throw new ForbiddenError(
        EnforcementError.NOT_LEGAL_REVIEW_DEPARTMENT,
        `${caller.department} does not maintain discretion benchmarks`,
      );
    }
    if (!/^[A-Z0-9-]{1,64}$/.test(violationCode))
      throw new DomainError(EnforcementError.INVALID_VIOLATION_CODE, `violation code ${violationCode} must match [A-Z0-9-]{1,64}`, 400);
    const benchmark = Object.assign(new DiscretionBenchmark(), {
      violationCode,
      severity,
      basis: request.basis,
      measures: [...new Set(request.measures)],
      minFine: request.minFine ?? null,
      maxFine: request.maxFine ?? null,
      firstMinor: request.firstMinor,
    } satisfies DiscretionBenchmark);
    await this.dataSource.getRepository(DiscretionBenchmark).save(benchmark);
    return benchmark;
  }
}
