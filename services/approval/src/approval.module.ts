import { domainMetrics } from '@backbone/platform';
import { APPROVAL_METRICS } from './approval.metrics';
import { DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_ENTITIES, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import type { ApprovalConfig } from './approval.config';
import { HeldRiskWarningRow } from './risk-warnings/held-risk-warning.entity';
import { RecordRedListMessageController } from './credit/record-red-list/record-red-list.message.controller';
import { KeepRiskWarningsMessageController } from './risk-warnings/keep-risk-warnings/keep-risk-warnings.message.controller';
import { AmendApprovalHttpController } from './approvals/amend-approval/amend-approval.http.controller';
import { ApprovalChangeService } from './approvals/approval-change.service';
import { Approval, ApprovalFeedback } from './approvals/approval.entity';
import { ApprovalPublication } from './approvals/approval-publication.service';
import { CancelApprovalHttpController } from './approvals/cancel-approval/cancel-approval.http.controller';
import { ConvertApprovalHttpController } from './approvals/convert-approval/convert-approval.http.controller';
import { ConvertApprovalService } from './approvals/convert-approval/convert-approval.service';
import { DecideApprovalHttpController } from './approvals/decide-approval/decide-approval.http.controller';
import { DecideApprovalService } from './approvals/decide-approval/decide-approval.service';
import { GetApprovalHttpController } from './approvals/get-approval/get-approval.http.controller';
import { ListLedgerHttpController } from './approvals/list-ledger/list-ledger.http.controller';
import { ListLedgerService } from './approvals/list-ledger/list-ledger.service';
import { RecordSectorApprovalMessageController } from './approvals/record-sector-approval/record-sector-approval.message.controller';
import { RecordFeedbackMessageController } from './approvals/record-feedback/record-feedback.message.controller';
import { RenewApprovalHttpController } from './approvals/renew-approval/renew-approval.http.controller';
import { CreditCheck } from './credit/credit-check.entity';
import { CreditStanding } from './credit/credit-standing.entity';
import { ListCreditChecksHttpController } from './credit/list-credit-checks/list-credit-checks.http.controller';
import { RecordCreditStandingMessageController } from './credit/record-credit-standing/record-credit-standing.message.controller';
import { EnforcementCaseProjection } from './holds/enforcement-case-projection.entity';
import { HoldPolicy } from './holds/hold-policy';
import { TrackOpenCasesMessageController } from './holds/track-open-cases/track-open-cases.message.controller';
import { LicenceLifecycle } from './licences/licence-lifecycle.service';
import { LicenceTransition } from './licences/licence-transition.entity';
import { SweepLicencesHttpController } from './licences/sweep-licences/sweep-licences.http.controller';
import { SweepLicencesService } from './licences/sweep-licences/sweep-licences.service';
import { APPROVAL_MIGRATIONS } from './migrations';
import { GetTrailHttpController } from './trail/get-trail/get-trail.http.controller';
import { LoopEvent } from './trail/loop-event.entity';
import { RecordLoopEventMessageController } from './trail/record-loop-event/record-loop-event.message.controller';

export const APPROVAL_SERVICE = {
  name: 'approval',
  title: 'Approval service',
  description:
    'Approval decisions and licences. Source of the double push to supervision; receives claims, inspections and penalties back; ' +
    'checks the credit record on every application; keeps the trail of every loop.',
};

export const APPROVAL_ENTITIES = [
  Approval,
  ApprovalFeedback,
  LicenceTransition,
  LoopEvent,
  CreditStanding,
  CreditCheck,
  EnforcementCaseProjection,
  HeldRiskWarningRow,
];

@Module({})
export class ApprovalModule {
  static forRoot(config: ApprovalConfig): DynamicModule {
    return {
      module: ApprovalModule,
      imports: [
        PlatformModule.forRoot({
          service: APPROVAL_SERVICE.name,
          config,
          entities: [...MESSAGING_ENTITIES, ...APPROVAL_ENTITIES],
          migrations: APPROVAL_MIGRATIONS,
        }),
        MessagingModule,
      ],
      controllers: [
        DecideApprovalHttpController,
        GetTrailHttpController,
        GetApprovalHttpController,
        AmendApprovalHttpController,
        RenewApprovalHttpController,
        CancelApprovalHttpController,
        ConvertApprovalHttpController,
        ListCreditChecksHttpController,
        SweepLicencesHttpController,
        ListLedgerHttpController,
        RecordFeedbackMessageController,
        RecordCreditStandingMessageController,
        TrackOpenCasesMessageController,
        KeepRiskWarningsMessageController,
        RecordRedListMessageController,
        RecordLoopEventMessageController,
        RecordSectorApprovalMessageController,
      ],
      providers: [
        domainMetrics(APPROVAL_METRICS),
        DecideApprovalService,
        ConvertApprovalService,
        ApprovalPublication,
        ApprovalChangeService,
        LicenceLifecycle,
        SweepLicencesService,
        ListLedgerService,
        HoldPolicy,
      ],
    };
  }
}
