import { domainMetrics } from '@backbone/platform';
import { CREDIT_METRICS } from './credit.metrics';
import { DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_ENTITIES, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import type { CreditConfig } from './credit.config';
import { AnswerObjectionHttpController } from './credit-objections/answer-objection/answer-objection.http.controller';
import { AnswerObjectionService } from './credit-objections/answer-objection/answer-objection.service';
import { CreditObjection } from './credit-objections/credit-objection.entity';
import { GetCreditObjectionHttpController } from './credit-objections/get-credit-objection/get-credit-objection.http.controller';
import { RaiseObjectionHttpController } from './credit-objections/raise-objection/raise-objection.http.controller';
import { RaiseObjectionService } from './credit-objections/raise-objection/raise-objection.service';
import { CreditEntry } from './credit-records/credit-entry.entity';
import { CreditRecord } from './credit-records/credit-record.entity';
import { CreditRecordService } from './credit-records/credit-record.service';
import { GetCreditRecordHttpController } from './credit-records/get-credit-record/get-credit-record.http.controller';
import { RefreshCreditStandingsHttpController } from './credit-records/refresh-credit-standings/refresh-credit-standings.http.controller';
import { RefreshCreditStandingsScheduler } from './credit-records/refresh-credit-standings/refresh-credit-standings.scheduler';
import { RefreshCreditStandingsService } from './credit-records/refresh-credit-standings/refresh-credit-standings.service';
import { RecordCreditFactsMessageController } from './credit-records/record-credit-facts/record-credit-facts.message.controller';
import { ApplyForRepairHttpController } from './credit-repairs/apply-for-repair/apply-for-repair.http.controller';
import { ApplyForRepairService } from './credit-repairs/apply-for-repair/apply-for-repair.service';
import { AddRepairEvidenceHttpController } from './credit-repairs/add-repair-evidence/add-repair-evidence.http.controller';
import { AddRepairEvidenceService } from './credit-repairs/add-repair-evidence/add-repair-evidence.service';
import { CreditRepair } from './credit-repairs/credit-repair.entity';
import { DecideRepairHttpController } from './credit-repairs/decide-repair/decide-repair.http.controller';
import { DecideRepairService } from './credit-repairs/decide-repair/decide-repair.service';
import { GetCreditRepairHttpController } from './credit-repairs/get-credit-repair/get-credit-repair.http.controller';
import { CREDIT_MIGRATIONS } from './migrations';
import { ComplaintSignal } from './risk-signals/complaint-signal.entity';
import { RecordComplaintSignalMessageController } from './risk-signals/record-complaint-signal/record-complaint-signal.message.controller';

export const CREDIT_SERVICE = {
  name: 'credit',
  title: 'Credit service',
  description:
    'One credit record per USCC: penalties, inspections, commitment outcomes, list entries and exits, repairs and corrections, ' +
    'queryable as of any date; tiers A-D and the serious-dishonesty and abnormal-operation lists with their joint-punishment measures, ' +
    'published as CreditStatusChangedV1; credit repair and objections.',
};

export const CREDIT_ENTITIES = [CreditEntry, CreditRecord, CreditRepair, CreditObjection, ComplaintSignal];

@Module({})
export class CreditModule {
  static forRoot(config: CreditConfig): DynamicModule {
    return {
      module: CreditModule,
      imports: [
        PlatformModule.forRoot({
          service: CREDIT_SERVICE.name,
          config,
          entities: [...MESSAGING_ENTITIES, ...CREDIT_ENTITIES],
          migrations: CREDIT_MIGRATIONS,
        }),
        MessagingModule,
      ],
      controllers: [
        GetCreditRecordHttpController,
        RecordCreditFactsMessageController,
        ApplyForRepairHttpController,
        AddRepairEvidenceHttpController,
        DecideRepairHttpController,
        GetCreditRepairHttpController,
        RaiseObjectionHttpController,
        AnswerObjectionHttpController,
        GetCreditObjectionHttpController,
        RefreshCreditStandingsHttpController,
        RecordComplaintSignalMessageController,
      ],
      providers: [
        domainMetrics(CREDIT_METRICS),
        CreditRecordService,
        ApplyForRepairService,
        AddRepairEvidenceService,
        DecideRepairService,
        RaiseObjectionService,
        AnswerObjectionService,
        RefreshCreditStandingsService,
        RefreshCreditStandingsScheduler,
      ],
    };
  }
}
