import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { IsUscc } from '@backbone/contracts';
import { Public } from '@backbone/platform';
import { EnforcementCase } from '../../cases/enforcement-case.entity';
import { PenaltyDecision } from '../../cases/penalty-decision.entity';
import { publicDecisionView } from '../redaction';

export class ListPublishedDecisionsQuery {
  @ApiPropertyOptional({ description: 'Only this entity' }) @IsOptional() @IsUscc() uscc?: string;
}

/**
 * The public list of penalty decisions (行政执法结果公示), each only during its publication period and
 * until a credit repair withdraws it; one that stays after its repair is marked (`creditRepairedAt`).
 */
@ApiTags('publicity')
@Controller('publicity')
export class ListPublishedDecisionsHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('decisions')
  @Public()
  @ApiOperation({
    summary: 'Penalty decisions in their publication period, personal data and trade secrets redacted, with the anchored record head',
  })
  @ApiOkResponse({ description: 'Newest first, at most 500' })
  async list(@Query() query: ListPublishedDecisionsQuery) {
    // An individual business's code (92…) is masked on the list: a query by the full code must not confirm it.
    if (query.uscc?.startsWith('92')) return [];
    const now = new Date();
    const builder = this.dataSource
      .getRepository(PenaltyDecision)
      .createQueryBuilder('d')
      .where('d.decided_at <= :now AND d.publish_until > :now AND d.publicity_withdrawn_at IS NULL', { now })
      .orderBy('d.decided_at', 'DESC')
      .take(500);
    if (query.uscc) builder.andWhere('d.case_id IN (SELECT id FROM enforcement_case WHERE uscc = :uscc)', { uscc: query.uscc });
    const decisions = await builder.getMany();
    const cases = decisions.length
      ? await this.dataSource.getRepository(EnforcementCase).findBy({ id: In(decisions.map((d) => d.caseId)) })
      : [];
    const byId = new Map(cases.map((c) => [c.id, c]));
    return decisions.flatMap((decision) => {
      const enforcementCase = byId.get(decision.caseId);
      return enforcementCase ? [publicDecisionView(enforcementCase, decision)] : [];
    });
  }
}
