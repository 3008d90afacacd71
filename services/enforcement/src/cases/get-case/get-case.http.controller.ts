import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource, FindOptionsWhere, In } from 'typeorm';
import { IsUscc } from '@backbone/contracts';
import { Caller, CurrentCaller, isOperator, NotFoundError } from '@backbone/platform';
import { LegalReview } from '../../legal-review/legal-review.entity';
import { CaseEvidence } from '../case-evidence.entity';
import { caseView } from '../case.view';
import { EnforcementCase } from '../enforcement-case.entity';
import { PenaltyDecision } from '../penalty-decision.entity';
import { EnforcementConfig, legalReviewDepartments } from '../../enforcement.config';

export class ListCasesQuery {
  @ApiProperty({ description: 'Unified social credit code of the entity (GB 32100-2015)', example: '91320700MA1MXXK01L' })
  @IsUscc()
  uscc: string;
}

@ApiTags('cases')
@Controller('cases')
export class GetCaseHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: EnforcementConfig,
  ) {}

  /** The case's department, the department it was transferred to, the legal-review departments and the operators. */
  private party(enforcementCase: EnforcementCase, department: string): boolean {
    return (
      enforcementCase.department === department ||
      enforcementCase.transferredTo === department ||
      legalReviewDepartments(this.config).includes(department) ||
      isOperator(this.config, department)
    );
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'An enforcement case with its penalty decision, if decided; evidence and legal reviews only for the parties (its department, legal review, operators)',
  })
  @ApiNotFoundResponse({ description: 'CASE_NOT_FOUND' })
  async get(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string) {
    const enforcementCase = await this.dataSource.getRepository(EnforcementCase).findOneBy({ id });
    if (!enforcementCase) throw new NotFoundError('case', id);
    const decision = await this.dataSource.getRepository(PenaltyDecision).findOneBy({ caseId: id });
    if (!this.party(enforcementCase, caller.department)) return { ...caseView(enforcementCase, decision), restricted: true };
    const evidence = await this.dataSource.getRepository(CaseEvidence).find({ where: { caseId: id }, order: { collectedAt: 'ASC' } });
    const legalReviews = await this.dataSource.getRepository(LegalReview).find({ where: { caseId: id }, order: { requestedAt: 'ASC' } });
    return { ...caseView(enforcementCase, decision), evidence, legalReviews };
  }

  @Get()
  @ApiOperation({
    summary:
      "An entity's enforcement cases of the caller's department (legal review and operators: all) with their decisions, newest first",
  })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListCasesQuery) {
    const all = legalReviewDepartments(this.config).includes(caller.department) || isOperator(this.config, caller.department);
    const where: FindOptionsWhere<EnforcementCase>[] = all
      ? [{ uscc: query.uscc }]
      : [
          { uscc: query.uscc, department: caller.department },
          { uscc: query.uscc, transferredTo: caller.department },
        ];
    const cases = await this.dataSource.getRepository(EnforcementCase).find({ where, order: { openedAt: 'DESC', id: 'ASC' }, take: 200 });
    const decisions = cases.length
      ? await this.dataSource.getRepository(PenaltyDecision).findBy({ caseId: In(cases.map((enforcementCase) => enforcementCase.id)) })
      : [];
    const byCase = new Map(decisions.map((decision) => [decision.caseId, decision]));
    return cases.map((enforcementCase) => caseView(enforcementCase, byCase.get(enforcementCase.id) ?? null));
  }
}
