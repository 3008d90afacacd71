import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, ForbiddenError, NotFoundError } from '@backbone/platform';
import { EnforcementCase } from '../../cases/enforcement-case.entity';
import { EnforcementConfig, legalReviewDepartments } from '../../enforcement.config';
import { CaseLog } from '../case-log.service';
import { EnforcementError } from '../../enforcement.errors';

/**
 * The full-process record of a case, and its verification. The record names persons and holds
 * evidence: only the case's department, the legal-review departments and the operators read it.
 */
@ApiTags('case record')
@Controller('cases')
export class GetCaseRecordHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly caseLog: CaseLog,
    private readonly config: EnforcementConfig,
  ) {}

  private async readable(id: string, department: string): Promise<EnforcementCase> {
    const enforcementCase = await this.dataSource.getRepository(EnforcementCase).findOneBy({ id });
    if (!enforcementCase) throw new NotFoundError('case', id);
    const readers = [enforcementCase.department, ...legalReviewDepartments(this.config), ...this.config.OPERATOR_DEPARTMENTS.split(',')];
    if (!readers.includes(department))
      throw new ForbiddenError(EnforcementError.NOT_CASE_DEPARTMENT, `the record of case ${id} is not open to ${department}`);
    return enforcementCase;
  }

  @Get(':id/record')
  @ApiOperation({ summary: 'Every step of the case in order: who, when, what, evidence references, with the hash chain' })
  @ApiOkResponse({ description: 'The entries, seq 1..n' })
  @ApiForbiddenResponse({ description: EnforcementError.NOT_CASE_DEPARTMENT })
  @ApiNotFoundResponse({ description: 'CASE_NOT_FOUND' })
  async record(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string) {
    await this.readable(id, caller.department);
    return this.caseLog.entries(this.dataSource.manager, id);
  }

  @Get(':id/record/verification')
  @ApiOperation({ summary: 'Verifies the record: an edited, deleted, reordered or truncated entry is named in problems' })
  @ApiOkResponse({ description: '{ valid, length, headHash, problems[] }' })
  async verify(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string) {
    const enforcementCase = await this.readable(id, caller.department);
    return this.caseLog.verify(this.dataSource.manager, enforcementCase);
  }
}
