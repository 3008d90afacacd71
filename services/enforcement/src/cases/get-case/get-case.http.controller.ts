import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource, In } from 'typeorm';
import { IsUscc } from '@backbone/contracts';
import { NotFoundError } from '@backbone/platform';
import { LegalReview } from '../../legal-review/legal-review.entity';
import { CaseEvidence } from '../case-evidence.entity';
import { caseView } from '../case.view';
import { EnforcementCase } from '../enforcement-case.entity';
import { PenaltyDecision } from '../penalty-decision.entity';

export class ListCasesQuery {
  @ApiProperty({ description: 'Unified social credit code of the entity (GB 32100-2015)', example: '91320700MA1MXXK01L' })
  @IsUscc()
  uscc: string;
}

@ApiTags('cases')
@Controller('cases')
export class GetCaseHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id')
  @ApiOperation({ summary: 'An enforcement case with its evidence, legal reviews and penalty decision, if decided' })
  @ApiNotFoundResponse({ description: 'CASE_NOT_FOUND' })
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const enforcementCase = await this.dataSource.getRepository(EnforcementCase).findOneBy({ id });
    if (!enforcementCase) throw new NotFoundError('case', id);
    const decision = await this.dataSource.getRepository(PenaltyDecision).findOneBy({ caseId: id });
    const evidence = await this.dataSource.getRepository(CaseEvidence).find({ where: { caseId: id }, order: { collectedAt: 'ASC' } });
    const legalReviews = await this.dataSource.getRepository(LegalReview).find({ where: { caseId: id }, order: { requestedAt: 'ASC' } });
    return { ...caseView(enforcementCase, decision), evidence, legalReviews };
  }

  @Get()
  @ApiOperation({ summary: "An entity's enforcement cases with their decisions, newest first" })
  async list(@Query() query: ListCasesQuery) {
    const cases = await this.dataSource
      .getRepository(EnforcementCase)
      .find({ where: { uscc: query.uscc }, order: { openedAt: 'DESC', id: 'ASC' }, take: 200 });
    const decisions = cases.length
      ? await this.dataSource.getRepository(PenaltyDecision).findBy({ caseId: In(cases.map((enforcementCase) => enforcementCase.id)) })
      : [];
    const byCase = new Map(decisions.map((decision) => [decision.caseId, decision]));
    return cases.map((enforcementCase) => caseView(enforcementCase, byCase.get(enforcementCase.id) ?? null));
  }
}
