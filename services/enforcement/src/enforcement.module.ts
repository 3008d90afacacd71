import { domainMetrics } from '@backbone/platform';
import { ENFORCEMENT_METRICS } from './enforcement.metrics';
import { DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_ENTITIES, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import type { EnforcementConfig } from './enforcement.config';
import { DefineBenchmarkHttpController } from './benchmarks/define-benchmark/define-benchmark.http.controller';
import { DiscretionBenchmark } from './benchmarks/discretion-benchmark.entity';
import { ListBenchmarksHttpController } from './benchmarks/list-benchmarks/list-benchmarks.http.controller';
import { CaseLogAnchor, CaseLogEntry } from './case-record/case-log-entry.entity';
import { CaseLog } from './case-record/case-log.service';
import { GetCaseRecordHttpController } from './case-record/get-case-record/get-case-record.http.controller';
import { AddEvidenceHttpController } from './cases/add-evidence/add-evidence.http.controller';
import { AddEvidenceService } from './cases/add-evidence/add-evidence.service';
import { CaseEvidence } from './cases/case-evidence.entity';
import { CaseWorkflow } from './cases/case-workflow.service';
import { CloseCaseHttpController } from './cases/close-case/close-case.http.controller';
import { CloseCaseService } from './cases/close-case/close-case.service';
import { DecidePenaltyHttpController } from './cases/decide-penalty/decide-penalty.http.controller';
import { DecidePenaltyService } from './cases/decide-penalty/decide-penalty.service';
import { EnforcementCase } from './cases/enforcement-case.entity';
import { ExecuteDecisionHttpController } from './cases/execute-decision/execute-decision.http.controller';
import { ExecuteDecisionService } from './cases/execute-decision/execute-decision.service';
import { GetCaseHttpController } from './cases/get-case/get-case.http.controller';
import { OpenCaseHttpController } from './cases/open-case/open-case.http.controller';
import { OpenCaseService } from './cases/open-case/open-case.service';
import { OpenCaseFromClueMessageController } from './cases/open-case-from-clue/open-case-from-clue.message.controller';
import { OpenCaseFromInspectionMessageController } from './cases/open-case-from-inspection/open-case-from-inspection.message.controller';
import { OpenCaseFromTransferMessageController } from './cases/open-case-from-transfer/open-case-from-transfer.message.controller';
import { PenaltyDecision } from './cases/penalty-decision.entity';
import { ServeDecisionHttpController } from './cases/serve-decision/serve-decision.http.controller';
import { ServeDecisionService } from './cases/serve-decision/serve-decision.service';
import { StartInvestigationHttpController } from './cases/start-investigation/start-investigation.http.controller';
import { StartInvestigationService } from './cases/start-investigation/start-investigation.service';
import { TransferCaseHttpController } from './cases/transfer-case/transfer-case.http.controller';
import { TransferCaseService } from './cases/transfer-case/transfer-case.service';
import { AnswerComplaintHttpController } from './complaints/answer-complaint/answer-complaint.http.controller';
import { Complaint } from './complaints/complaint.entity';
import { GetComplaintHttpController } from './complaints/get-complaint/get-complaint.http.controller';
import { ListComplaintsHttpController } from './complaints/list-complaints/list-complaints.http.controller';
import { TransferComplaintHttpController } from './complaints/transfer-complaint/transfer-complaint.http.controller';
import { OpenCaseFromComplaintHttpController } from './complaints/open-case-from-complaint/open-case-from-complaint.http.controller';
import { OpenCaseFromComplaintService } from './complaints/open-case-from-complaint/open-case-from-complaint.service';
import { AcceptComplaintHttpController } from './complaints/accept-complaint/accept-complaint.http.controller';
import { IntakeHotlineComplaintHttpController } from './complaints/intake-hotline-complaint/intake-hotline-complaint.http.controller';
import { ListAllComplaintsHttpController } from './complaints/list-all-complaints/list-all-complaints.http.controller';
import { RegisterComplaintService } from './complaints/register-complaint/register-complaint.service';
import { RunComplaintSweepHttpController } from './complaints/run-complaint-sweep/run-complaint-sweep.http.controller';
import { RunComplaintSweepScheduler } from './complaints/run-complaint-sweep/run-complaint-sweep.scheduler';
import { RunComplaintSweepService } from './complaints/run-complaint-sweep/run-complaint-sweep.service';
import { RegisterComplaintHttpController } from './complaints/register-complaint/register-complaint.http.controller';
import { RegisterHotlineComplaintMessageController } from './complaints/register-hotline-complaint/register-hotline-complaint.message.controller';
import { LegalReview } from './legal-review/legal-review.entity';
import { RecordLegalReviewHttpController } from './legal-review/record-legal-review/record-legal-review.http.controller';
import { RecordLegalReviewService } from './legal-review/record-legal-review/record-legal-review.service';
import { RequestLegalReviewHttpController } from './legal-review/request-legal-review/request-legal-review.http.controller';
import { RequestLegalReviewService } from './legal-review/request-legal-review/request-legal-review.service';
import { ListPublishedDecisionsHttpController } from './publicity/list-published-decisions/list-published-decisions.http.controller';
import { RecordCreditRepairMessageController } from './publicity/record-credit-repair/record-credit-repair.message.controller';
import { ENFORCEMENT_MIGRATIONS } from './migrations';

export const ENFORCEMENT_SERVICE = {
  name: 'enforcement',
  title: 'Enforcement service',
  description:
    'Enforcement cases under the three systems (publicity, full-process record, legal review of major decisions): opened from violation clues, ' +
    'transfers, complaints or by hand; decided within discretion benchmarks; penalties and licence actions flow back to the approver and into the credit record.',
};

export const ENFORCEMENT_ENTITIES = [
  EnforcementCase,
  PenaltyDecision,
  CaseEvidence,
  LegalReview,
  DiscretionBenchmark,
  CaseLogEntry,
  CaseLogAnchor,
  Complaint,
];

@Module({})
export class EnforcementModule {
  static forRoot(config: EnforcementConfig): DynamicModule {
    return {
      module: EnforcementModule,
      imports: [
        PlatformModule.forRoot({
          service: ENFORCEMENT_SERVICE.name,
          config,
          entities: [...MESSAGING_ENTITIES, ...ENFORCEMENT_ENTITIES],
          migrations: ENFORCEMENT_MIGRATIONS,
        }),
        MessagingModule,
      ],
      controllers: [
        GetCaseHttpController,
        OpenCaseHttpController,
        StartInvestigationHttpController,
        AddEvidenceHttpController,
        RequestLegalReviewHttpController,
        RecordLegalReviewHttpController,
        DecidePenaltyHttpController,
        ServeDecisionHttpController,
        ExecuteDecisionHttpController,
        CloseCaseHttpController,
        TransferCaseHttpController,
        GetCaseRecordHttpController,
        ListBenchmarksHttpController,
        DefineBenchmarkHttpController,
        ListPublishedDecisionsHttpController,
        RegisterComplaintHttpController,
        OpenCaseFromComplaintHttpController,
        AnswerComplaintHttpController,
        GetComplaintHttpController,
        ListComplaintsHttpController,
        TransferComplaintHttpController,
        AcceptComplaintHttpController,
        IntakeHotlineComplaintHttpController,
        ListAllComplaintsHttpController,
        RunComplaintSweepHttpController,
        OpenCaseFromInspectionMessageController,
        OpenCaseFromClueMessageController,
        OpenCaseFromTransferMessageController,
        RegisterHotlineComplaintMessageController,
        RecordCreditRepairMessageController,
      ],
      providers: [
        domainMetrics(ENFORCEMENT_METRICS),
        CaseLog,
        CaseWorkflow,
        OpenCaseService,
        StartInvestigationService,
        AddEvidenceService,
        RequestLegalReviewService,
        RecordLegalReviewService,
        DecidePenaltyService,
        ServeDecisionService,
        ExecuteDecisionService,
        CloseCaseService,
        TransferCaseService,
        OpenCaseFromComplaintService,
        RegisterComplaintService,
        RunComplaintSweepService,
        RunComplaintSweepScheduler,
      ],
    };
  }
}
