import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '@backbone/platform';
import { CreditConfig } from '../../credit.config';
import { CreditObjection } from '../../credit-objections/credit-objection.entity';
import { CreditRepair } from '../../credit-repairs/credit-repair.entity';
import { CreditEntry } from '../credit-entry.entity';
import { fullCreditRecordView, fundingEligibility, publicCreditRecordView } from '../credit-record.view';
import { creditStanding } from '../credit-standing.rules';
import { UsccParam } from '../uscc-param.request.dto';
import { ComplaintSignal } from '../../risk-signals/complaint-signal.entity';
import { complaintRiskSignal } from '../../risk-signals/risk-signals.view';
import { GetCreditRecordQuery } from './get-credit-record.request.dto';

@ApiTags('credit-records')
@Controller('credit-records')
export class GetCreditRecordHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: CreditConfig,
  ) {}

  /** Public: penalty decisions, inspection results and the lists are published by law (publicity, 双随机一公开, 红黑名单公示). */
  @Public()
  @Get(':uscc')
  @ApiOperation({ summary: "An entity's published credit record: lists, and facts within their publication period (public, no API key)" })
  @ApiOkResponse({ description: 'The record; an entity with no entries has an empty record' })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED naming field and rule: uscc (isUscc: shape or check character), asOf',
  })
  async get(@Param() { uscc }: UsccParam, @Query() query: GetCreditRecordQuery) {
    return publicCreditRecordView(uscc, await this.standing(uscc, query), this.config.rules);
  }

  /** For authenticated departments (逢办必查): everything, with tier, reasons and history. */
  @Get(':uscc/full')
  @ApiOperation({
    summary:
      "An entity's full credit record: tier and the facts behind it, lists, measures, every entry with its validity, repairs, objections",
  })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming field and rule (uscc, asOf)' })
  async full(@Param() { uscc }: UsccParam, @Query() query: GetCreditRecordQuery) {
    const standing = await this.standing(uscc, query);
    const repairs = await this.dataSource.getRepository(CreditRepair).find({ where: { uscc }, order: { createdAt: 'ASC' } });
    const objections = await this.dataSource.getRepository(CreditObjection).find({ where: { uscc }, order: { createdAt: 'ASC' } });
    const complaints = await this.dataSource.getRepository(ComplaintSignal).find({ where: { uscc }, order: { registeredAt: 'ASC' } });
    return {
      ...fullCreditRecordView(uscc, standing, repairs, objections),
      riskSignals: { complaints: complaintRiskSignal(complaints, standing.asOf) },
    };
  }

  /** For agencies granting public funds (财政资金安排): the measure no_public_funding of the entity's lists. */
  @Get(':uscc/funding-eligibility')
  @ApiOperation({
    summary: 'Whether public funds may go to the entity: not while a list with measure no_public_funding (限制政府资金支持) holds it',
  })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming field and rule (uscc, asOf)' })
  async funding(@Param() { uscc }: UsccParam, @Query() query: GetCreditRecordQuery) {
    const standing = await this.standing(uscc, query);
    return { uscc, asOf: standing.asOf, ...fundingEligibility(standing), redList: standing.redList.onRedList };
  }

  private async standing(uscc: string, query: GetCreditRecordQuery) {
    const asOf = query.asOf ? new Date(query.asOf) : new Date();
    const entries = await this.dataSource.getRepository(CreditEntry).find({ where: { uscc }, order: { occurredAt: 'ASC', id: 'ASC' } });
    return creditStanding(entries, asOf, this.config.rules, query.knownAt ? new Date(query.knownAt) : undefined);
  }
}
