import type { EventClass } from './event-class';
import { ApprovalDecidedV1 } from './events/approval-decided.v1';
import { ApprovalUnroutedV1, InspectionRecordedV1, TaskAssignedV1, TaskClaimedV1 } from './events/supervision.v1';
import { CaseClosedV1, CaseOpenedV1, CaseTransferredV1, PenaltyDecidedV1 } from './events/enforcement.v1';
import { ApprovalChangedV1, ApprovalDecidedV2, LicenceStatusChangedV1 } from './events/approval-lifecycle.v1';
import {
  CommitmentVerifiedV1,
  EntityNotifiedV1,
  TaskClaimReminderV1,
  TaskClosedV1,
  TaskEscalatedV1,
  TaskReturnedV1,
  TaskUpdatedV1,
  UnlicensedOperationClueV1,
} from './events/supervision-lifecycle.v1';
import { CreditRedListChangedV1, CreditRepairApprovedV1, CreditStatusChangedV1 } from './events/credit.v1';
import { CommitmentVerificationEscalatedV1 } from './events/commitment-verification.v1';
import { InspectionCheckOverdueV1, InspectionRecordedV2 } from './events/inspection.v2';
import {
  InspectionPlanPublishedV1,
  InspectionResultPublishedV1,
  InspectionResultRecordedV1,
  InspectionTaskDrawnV1,
} from './events/random-inspection.v1';
import { ComplaintAnsweredV1, ComplaintAnswerReminderV1, ComplaintEscalatedV1, ComplaintRegisteredV1 } from './events/complaint.v1';
import { ApprovalRiskReviewedV1, RiskWarningLiftedV1, RiskWarningRaisedV1, TaskRiskWarningAppliedV1 } from './events/risk-warning.v1';
import { LegalReviewRecordedV1, LegalReviewRequestedV1 } from './events/legal-review.v1';
import {
  CreditObjectionAnsweredV1,
  CreditObjectionRaisedV1,
  CreditRepairAppliedV1,
  CreditRepairDecidedV1,
} from './events/credit-requests.v1';
import { HotlineComplaintReceivedV1, SectorApprovalDecidedV1, SectorInspectionRecordedV1 } from './events/integration.v1';

/** Every published event type. The AsyncAPI document and every consumer's validation come from this list. */
export const EVENT_CATALOG: readonly EventClass[] = [
  // approval
  ApprovalDecidedV1,
  ApprovalDecidedV2,
  ApprovalChangedV1,
  LicenceStatusChangedV1,
  ApprovalRiskReviewedV1,
  // supervision
  TaskAssignedV1,
  ApprovalUnroutedV1,
  TaskClaimedV1,
  TaskReturnedV1,
  TaskUpdatedV1,
  TaskClaimReminderV1,
  TaskEscalatedV1,
  TaskClosedV1,
  InspectionRecordedV1,
  EntityNotifiedV1,
  UnlicensedOperationClueV1,
  CommitmentVerifiedV1,
  CommitmentVerificationEscalatedV1,
  RiskWarningRaisedV1,
  RiskWarningLiftedV1,
  TaskRiskWarningAppliedV1,
  // enforcement
  CaseOpenedV1,
  PenaltyDecidedV1,
  CaseClosedV1,
  CaseTransferredV1,
  ComplaintRegisteredV1,
  ComplaintAnswerReminderV1,
  ComplaintEscalatedV1,
  ComplaintAnsweredV1,
  LegalReviewRequestedV1,
  LegalReviewRecordedV1,
  // credit
  CreditStatusChangedV1,
  CreditRedListChangedV1,
  CreditRepairAppliedV1,
  CreditRepairDecidedV1,
  CreditRepairApprovedV1,
  CreditObjectionRaisedV1,
  CreditObjectionAnsweredV1,
  // inspection results (ad hoc and random)
  InspectionRecordedV2,
  InspectionCheckOverdueV1,
  // random inspection: plans, draws, results and their publication (for the duty figures)
  InspectionPlanPublishedV1,
  InspectionTaskDrawnV1,
  InspectionResultRecordedV1,
  InspectionResultPublishedV1,
  // integration: posted by other agencies' systems through the CloudEvents intake
  SectorApprovalDecidedV1,
  HotlineComplaintReceivedV1,
  SectorInspectionRecordedV1,
];

const byType = new Map<string, EventClass>(EVENT_CATALOG.map((eventClass) => [eventClass.type, eventClass]));
if (byType.size !== EVENT_CATALOG.length) throw new Error('two event classes share a CloudEvents type');

export function eventClassOf(type: string): EventClass | undefined {
  return byType.get(type);
}
