import { domainMetrics } from '@backbone/platform';
import { SUPERVISION_METRICS } from './supervision.metrics';
import { DynamicModule, Module } from '@nestjs/common';
import { MESSAGING_ENTITIES, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import { AmendCatalogEntryHttpController } from './catalog/amend-catalog-entry/amend-catalog-entry.http.controller';
import { AmendCatalogEntryService } from './catalog/amend-catalog-entry/amend-catalog-entry.service';
import { CatalogEntry, CatalogEntryVersion } from './catalog/catalog-entry.entity';
import { CreateCatalogEntryHttpController } from './catalog/create-catalog-entry/create-catalog-entry.http.controller';
import { CreateCatalogEntryService } from './catalog/create-catalog-entry/create-catalog-entry.service';
import { GetCatalogEntryHttpController } from './catalog/get-catalog-entry/get-catalog-entry.http.controller';
import { CommitmentVerification } from './commitments/commitment-verification.entity';
import { GetVerificationHttpController } from './commitments/get-verification/get-verification.http.controller';
import { RecordVerificationHttpController } from './commitments/record-verification/record-verification.http.controller';
import { RecordVerificationService } from './commitments/record-verification/record-verification.service';
import { DeadlineSweepScheduler } from './deadlines/deadline-sweep.scheduler';
import { RunDeadlineSweepHttpController } from './deadlines/run-deadline-sweep/run-deadline-sweep.http.controller';
import { RunDeadlineSweepService } from './deadlines/run-deadline-sweep/run-deadline-sweep.service';
import { Inspection } from './inspections/inspection.entity';
import { RecordInspectionHttpController } from './inspections/record-inspection/record-inspection.http.controller';
import { RecordInspectionService } from './inspections/record-inspection/record-inspection.service';
import { SUPERVISION_MIGRATIONS } from './migrations';
import { ReconcileHttpController } from './reconciliation/reconcile/reconcile.http.controller';
import { ReconcileService } from './reconciliation/reconcile/reconcile.service';
import { ApprovalLedgerClient } from './reconciliation/approval-ledger.client';
import { ListNotificationsHttpController } from './registrations/list-notifications/list-notifications.http.controller';
import { GetRegistrationHttpController } from './registrations/get-registration/get-registration.http.controller';
import { RecordLicenceService } from './registrations/record-licence.service';
import { RecordNotificationFeedbackHttpController } from './registrations/record-notification-feedback/record-notification-feedback.http.controller';
import { RecordNotificationFeedbackService } from './registrations/record-notification-feedback/record-notification-feedback.service';
import { ReportUnlicensedOperationHttpController } from './registrations/report-unlicensed-operation/report-unlicensed-operation.http.controller';
import { ReportUnlicensedOperationService } from './registrations/report-unlicensed-operation/report-unlicensed-operation.service';
import { RegisterEntityHttpController } from './registrations/register-entity/register-entity.http.controller';
import { RegisterEntityService } from './registrations/register-entity/register-entity.service';
import { EntityNotification, EntityRegistration, ScopeLicenceRule } from './registrations/registration.entity';
import type { SupervisionConfig } from './supervision.config';
import { AssignTaskMessageController } from './tasks/assign-task/assign-task.message.controller';
import { AssignTaskService } from './tasks/assign-task/assign-task.service';
import { ClaimTaskHttpController } from './tasks/claim-task/claim-task.http.controller';
import { ClaimTaskService } from './tasks/claim-task/claim-task.service';
import { GetTaskHttpController } from './tasks/get-task/get-task.http.controller';
import { HandAssignTaskHttpController } from './tasks/hand-assign-task/hand-assign-task.http.controller';
import { HandAssignTaskService } from './tasks/hand-assign-task/hand-assign-task.service';
import { ReturnTaskHttpController } from './tasks/return-task/return-task.http.controller';
import { ReturnTaskService } from './tasks/return-task/return-task.service';
import { ApprovalSeen, SupervisionTask, UnroutedApproval } from './tasks/supervision-task.entity';
import { UpdateTaskMessageController } from './tasks/update-task/update-task.message.controller';
import { UpdateTaskService } from './tasks/update-task/update-task.service';
import { TaskLifecycle } from './tasks/task-lifecycle.service';
import { TaskRepository, TypeOrmTaskRepository } from './tasks/task.repository';
import { ApprovalRouting } from './routing/approval-routing.service';
import { ClaimRiskWarnings, StoredClaimRiskWarnings } from './risk-warnings/claim-risk-warnings';
import { GetRiskWarningHttpController } from './risk-warnings/get-risk-warning/get-risk-warning.http.controller';
import { LiftRiskWarningHttpController } from './risk-warnings/lift-risk-warning/lift-risk-warning.http.controller';
import { LiftRiskWarningService } from './risk-warnings/lift-risk-warning/lift-risk-warning.service';
import { RaiseRiskWarningHttpController } from './risk-warnings/raise-risk-warning/raise-risk-warning.http.controller';
import { RaiseRiskWarningService } from './risk-warnings/raise-risk-warning/raise-risk-warning.service';
import { RiskWarning } from './risk-warnings/risk-warning.entity';
import { RiskWarningRepository } from './risk-warnings/risk-warning.repository';

export const SUPERVISION_ENTITIES = [
  CatalogEntry,
  CatalogEntryVersion,
  SupervisionTask,
  UnroutedApproval,
  ApprovalSeen,
  Inspection,
  ScopeLicenceRule,
  EntityRegistration,
  EntityNotification,
  CommitmentVerification,
  RiskWarning,
];

export const SUPERVISION_SERVICE = {
  name: 'supervision',
  title: 'Supervision service',
  description:
    'Supervision item catalog and routing; supervision tasks (assign, claim, return, escalate, close); double notification and ' +
    'unlicensed-operation clues; commitment verification; reconciliation; inspections and violation clues; risk warnings.',
};

@Module({})
export class SupervisionModule {
  static forRoot(config: SupervisionConfig): DynamicModule {
    return {
      module: SupervisionModule,
      imports: [
        PlatformModule.forRoot({
          service: SUPERVISION_SERVICE.name,
          config,
          entities: [...MESSAGING_ENTITIES, ...SUPERVISION_ENTITIES],
          migrations: SUPERVISION_MIGRATIONS,
        }),
        MessagingModule,
      ],
      controllers: [
        AssignTaskMessageController,
        UpdateTaskMessageController,
        ClaimTaskHttpController,
        ReturnTaskHttpController,
        HandAssignTaskHttpController,
        GetTaskHttpController,
        CreateCatalogEntryHttpController,
        AmendCatalogEntryHttpController,
        GetCatalogEntryHttpController,
        RunDeadlineSweepHttpController,
        RegisterEntityHttpController,
        GetRegistrationHttpController,
        RecordNotificationFeedbackHttpController,
        ReportUnlicensedOperationHttpController,
        RecordVerificationHttpController,
        GetVerificationHttpController,
        ReconcileHttpController,
        ListNotificationsHttpController,
        RecordInspectionHttpController,
        RaiseRiskWarningHttpController,
        LiftRiskWarningHttpController,
        GetRiskWarningHttpController,
      ],
      providers: [
        domainMetrics(SUPERVISION_METRICS),
        { provide: TaskRepository, useClass: TypeOrmTaskRepository },
        TaskLifecycle,
        ApprovalRouting,
        AssignTaskService,
        UpdateTaskService,
        ClaimTaskService,
        ReturnTaskService,
        HandAssignTaskService,
        CreateCatalogEntryService,
        AmendCatalogEntryService,
        RunDeadlineSweepService,
        DeadlineSweepScheduler,
        RegisterEntityService,
        RecordNotificationFeedbackService,
        RecordLicenceService,
        ReportUnlicensedOperationService,
        RecordVerificationService,
        ReconcileService,
        ApprovalLedgerClient,
        RecordInspectionService,
        RiskWarningRepository,
        { provide: ClaimRiskWarnings, useClass: StoredClaimRiskWarnings },
        RaiseRiskWarningService,
        LiftRiskWarningService,
      ],
    };
  }
}
