import type { EntityManager } from 'typeorm';
import {
  ApprovalChangedV1,
  ApprovalDecidedV1,
  ApprovalDecidedV2,
  ApprovalUnroutedV1,
  CaseClosedV1,
  CaseOpenedV1,
  CaseTransferredV1,
  CommitmentVerifiedV1,
  ComplaintAnsweredV1,
  ComplaintEscalatedV1,
  ComplaintRegisteredV1,
  CreditObjectionAnsweredV1,
  CreditObjectionRaisedV1,
  CreditRepairAppliedV1,
  CreditRepairDecidedV1,
  LegalReviewRecordedV1,
  LegalReviewRequestedV1,
  InspectionRecordedV1,
  InspectionRecordedV2,
  UnlicensedOperationClueV1,
  CreditStatusChangedV1,
  Envelope,
  PenaltyDecidedV1,
  RiskWarningLiftedV1,
  RiskWarningRaisedV1,
  TaskAssignedV1,
  TaskClaimedV1,
  TaskClaimReminderV1,
  TaskClosedV1,
  TaskEscalatedV1,
  TaskReturnedV1,
} from '@backbone/contracts';
import { workingDayDeadline } from '@backbone/platform';
import { workingHoursBetween } from '../../calendar/working-hours';
import { INSPECTION_PROJECTIONS } from './inspection-projection';

/**
 * Penalty decisions are made public within seven working days of the decision (国办发〔2018〕118号:
 * 行政执法决定信息要在执法决定作出之日起 7 个工作日内公开).
 */
export const PUBLICATION_WORKING_DAYS = 7;

type Projector = (manager: EntityManager, data: any, envelope: Envelope) => Promise<unknown>;

/** The current push of a task (its latest assignment). */
const CURRENT = `task_id = $1 AND current`;

/**
 * How each event moves the read model. Events of one entity arrive in order (one topic per producer,
 * keyed by USCC), so a task's claim always finds its assignment; an event for a row not yet known is
 * kept in loop_event and changes nothing else.
 */
export const PROJECTIONS: Record<string, Projector> = {
  // Risk warnings (§8): the notified departments see them in their work queue while active.
  [RiskWarningRaisedV1.type]: (m, d: RiskWarningRaisedV1) =>
    m.query(
      `INSERT INTO risk_warning_notice (warning_id, reference, level, title, raised_by, departments, scope, concerns, measures, starts_at, ends_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (warning_id) DO NOTHING`,
      [
        d.warningId,
        d.reference,
        d.level,
        d.title,
        d.raisedBy,
        d.notifiedDepartments,
        JSON.stringify(d.scope),
        JSON.stringify(d.concerns),
        JSON.stringify(d.measures),
        d.startsAt,
        d.endsAt,
      ],
    ),
  [RiskWarningLiftedV1.type]: (m, d: RiskWarningLiftedV1) =>
    m.query(`UPDATE risk_warning_notice SET ended_at = $2, end_reason = $3 WHERE warning_id = $1 AND ended_at IS NULL`, [
      d.warningId,
      d.liftedAt,
      d.reason,
    ]),
  [ApprovalDecidedV1.type]: (m, d: ApprovalDecidedV1, e) => upsertApproval(m, d, e),
  [ApprovalDecidedV2.type]: (m, d: ApprovalDecidedV2, e) => upsertApproval(m, d, e),
  [ApprovalChangedV1.type]: async (m, d: ApprovalChangedV1) => {
    await lockApproval(m, d.approvalId);
    await m.query(
      `UPDATE approval_fact SET item_code = $2, region_code = $3, kind = $4, version = $5 WHERE approval_id = $1 AND version < $5`,
      [d.approvalId, d.itemCode, d.regionCode, d.kind, d.version],
    );
    await syncRegion(m, d.approvalId);
  },

  [TaskAssignedV1.type]: async (m, d: TaskAssignedV1, e) => {
    await lockApproval(m, d.approvalId);
    const at = new Date(e.time);
    const [{ seq }] = await m.query(`SELECT COALESCE(max(seq), 0)::int AS seq FROM task_assignment WHERE task_id = $1`, [d.taskId]);
    await m.query(
      `UPDATE task_assignment SET current = false, status = CASE WHEN status = 'assigned' THEN 'moved' ELSE status END WHERE ${CURRENT}`,
      [d.taskId],
    );
    await m.query(
      `INSERT INTO task_assignment (task_id, seq, approval_id, uscc, item_code, department, routing_rule, assigned_at, claim_deadline,
         region_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT region_code FROM approval_fact WHERE approval_id = $3))`,
      [d.taskId, seq + 1, d.approvalId, d.uscc, d.itemCode, d.assignedDepartment, d.routingRule, at, d.claimDeadline],
    );
    await m.query(`UPDATE vacuum_approval SET routed_at = $2, routed_department = $3 WHERE approval_id = $1 AND routed_at IS NULL`, [
      d.approvalId,
      at,
      d.assignedDepartment,
    ]);
  },
  [TaskClaimedV1.type]: async (m, d: TaskClaimedV1) => {
    const [row] = await m.query(`SELECT assigned_at FROM task_assignment WHERE ${CURRENT}`, [d.taskId]);
    if (!row) return;
    const hours = workingHoursBetween(new Date(row.assigned_at), new Date(d.claimedAt));
    await m.query(
      `UPDATE task_assignment SET status = 'claimed', claimed_at = $2, claim_handler = $3, claim_working_hours = $4 WHERE ${CURRENT}`,
      [d.taskId, d.claimedAt, d.handler, hours],
    );
  },
  [TaskClaimReminderV1.type]: (m, d: TaskClaimReminderV1, e) =>
    m.query(`UPDATE task_assignment SET reminded_at = COALESCE(reminded_at, $2) WHERE ${CURRENT}`, [d.taskId, e.time]),
  [TaskEscalatedV1.type]: (m, d: TaskEscalatedV1) =>
    m.query(`UPDATE task_assignment SET escalated_at = COALESCE(escalated_at, $2) WHERE ${CURRENT}`, [d.taskId, d.escalatedAt]),
  [TaskReturnedV1.type]: (m, d: TaskReturnedV1) =>
    m.query(`UPDATE task_assignment SET status = 'returned', returned_at = $2, return_reason = $3 WHERE ${CURRENT}`, [
      d.taskId,
      d.returnedAt,
      d.reason,
    ]),
  [TaskClosedV1.type]: (m, d: TaskClosedV1) =>
    m.query(`UPDATE task_assignment SET status = 'closed', closed_at = $2 WHERE ${CURRENT}`, [d.taskId, d.closedAt]),
  // The approving department comes from the approval's facts, or (arriving later) from upsertApproval.
  [ApprovalUnroutedV1.type]: async (m, d: ApprovalUnroutedV1, e) => {
    await lockApproval(m, d.approvalId);
    await m.query(
      `INSERT INTO vacuum_approval (approval_id, uscc, item_code, region_code, reason, unrouted_at, approver_department)
       VALUES ($1, $2, $3, $4, $5, $6, (SELECT approver_department FROM approval_fact WHERE approval_id = $1))
       ON CONFLICT (approval_id) DO NOTHING`,
      [d.approvalId, d.uscc, d.itemCode, d.regionCode, d.reason, e.time],
    );
  },

  [CaseOpenedV1.type]: async (m, d: CaseOpenedV1, e) =>
    m.query(
      `INSERT INTO enforcement_case (case_id, uscc, department, source, approval_id, opened_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id) DO NOTHING`,
      [d.caseId, d.uscc, d.department, await caseSource(m, d, e), d.approvalId ?? null, e.time],
    ),
  // Enforcement lists a decision publicly from the moment it records it: the event's time.
  [PenaltyDecidedV1.type]: (m, d: PenaltyDecidedV1, e) =>
    m.query(
      `UPDATE enforcement_case SET decided_at = $2, penalty_kinds = $3, licence_action = $4, decision_published_at = $5,
         publish_deadline = $6 WHERE case_id = $1`,
      [
        d.caseId,
        d.decidedAt,
        d.penalties.map((penalty) => penalty.kind),
        d.licenceAction?.action ?? null,
        e.time,
        workingDayDeadline(new Date(d.decidedAt), PUBLICATION_WORKING_DAYS),
      ],
    ),
  [CaseTransferredV1.type]: (m, d: CaseTransferredV1) =>
    m.query(`UPDATE enforcement_case SET transferred_to = $2, transfer_target = $3 WHERE case_id = $1`, [
      d.caseId,
      d.toDepartment,
      d.target,
    ]),
  [CaseClosedV1.type]: (m, d: CaseClosedV1) =>
    m.query(`UPDATE enforcement_case SET closed_at = $2, outcome = $3 WHERE case_id = $1`, [d.caseId, d.closedAt, d.outcome]),

  [LegalReviewRequestedV1.type]: (m, d: LegalReviewRequestedV1) =>
    m.query(
      `INSERT INTO legal_review_fact (review_id, case_id, department, action, requested_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (review_id) DO NOTHING`,
      [d.reviewId, d.caseId, d.department, d.action, d.requestedAt],
    ),
  [LegalReviewRecordedV1.type]: (m, d: LegalReviewRecordedV1) =>
    m.query(`UPDATE legal_review_fact SET reviewer_department = $2, outcome = $3, reviewed_at = $4 WHERE review_id = $1`, [
      d.reviewId,
      d.reviewerDepartment,
      d.outcome,
      d.reviewedAt,
    ]),

  [ComplaintRegisteredV1.type]: (m, d: ComplaintRegisteredV1) =>
    m.query(
      `INSERT INTO complaint_fact (complaint_id, uscc, department, kind, channel, registered_at, answer_deadline)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (complaint_id) DO NOTHING`,
      [d.complaintId, d.uscc, d.department, d.kind, d.channel, d.registeredAt, d.answerDeadline],
    ),
  [ComplaintEscalatedV1.type]: (m, d: ComplaintEscalatedV1) =>
    complaintMoved(m, d, 'escalated_at = COALESCE(escalated_at, $2)', d.escalatedAt),
  [ComplaintAnsweredV1.type]: (m, d: ComplaintAnsweredV1) => complaintMoved(m, d, 'answered_at = $2', d.answeredAt),

  [CreditRepairAppliedV1.type]: (m, d: CreditRepairAppliedV1) =>
    fileCreditRequest(m, 'repair', d.repairId, d.uscc, d.applicantDepartment, d.appliedAt),
  [CreditRepairDecidedV1.type]: (m, d: CreditRepairDecidedV1) => answerCreditRequest(m, d.repairId, d.outcome, d.decidedBy, d.decidedAt),
  [CreditObjectionRaisedV1.type]: (m, d: CreditObjectionRaisedV1) =>
    fileCreditRequest(m, 'objection', d.objectionId, d.uscc, d.raisedBy, d.raisedAt),
  [CreditObjectionAnsweredV1.type]: (m, d: CreditObjectionAnsweredV1) =>
    answerCreditRequest(m, d.objectionId, d.outcome, d.answeredBy, d.answeredAt),

  [CreditStatusChangedV1.type]: (m, d: CreditStatusChangedV1) =>
    m.query(
      `INSERT INTO entity_credit (uscc, tier, lists, measures, changed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (uscc) DO UPDATE SET tier = EXCLUDED.tier, lists = EXCLUDED.lists, measures = EXCLUDED.measures,
         changed_at = EXCLUDED.changed_at WHERE entity_credit.changed_at <= EXCLUDED.changed_at`,
      [d.uscc, d.tier, d.lists, d.measures, d.effectiveAt],
    ),

  // 双随机、一公开: plans, draws, results and their publication.
  ...INSPECTION_PROJECTIONS,
};

/**
 * A later event of a complaint: when it happened, and the handling department and answer deadline it
 * names (a transfer to another department has no event of its own).
 */
function complaintMoved(
  m: EntityManager,
  d: { complaintId: string; department: string; answerDeadline: string },
  set: 'escalated_at = COALESCE(escalated_at, $2)' | 'answered_at = $2',
  at: string,
) {
  return m.query(`UPDATE complaint_fact SET ${set}, department = $3, answer_deadline = $4 WHERE complaint_id = $1`, [
    d.complaintId,
    at,
    d.department,
    d.answerDeadline,
  ]);
}

function fileCreditRequest(m: EntityManager, kind: 'repair' | 'objection', id: string, uscc: string, department: string, at: string) {
  return m.query(
    `INSERT INTO credit_request (request_id, kind, uscc, department, filed_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (request_id) DO NOTHING`,
    [id, kind, uscc, department, at],
  );
}

function answerCreditRequest(m: EntityManager, id: string, outcome: string, by: string, at: string) {
  return m.query(`UPDATE credit_request SET outcome = $2, answered_by = $3, answered_at = $4 WHERE request_id = $1`, [id, outcome, by, at]);
}

/**
 * Serialises, per approval, the projection of its approval events and of its task assignments: they come
 * from different topics and may be applied at the same moment, and each must see the other's row once it
 * has the lock (each statement of a READ COMMITTED transaction reads what committed before it).
 * Key: 'console-approval:<id>' (docs/adr/0003).
 */
function lockApproval(m: EntityManager, approvalId: string) {
  return m.query(`SELECT pg_advisory_xact_lock(hashtextextended('console-approval:' || $1, 0))`, [approvalId]);
}

/**
 * An assignment carries its approval's current region (the per-day figures are keyed by it; the
 * trigger of migration 1763800003100 moves its contribution when it changes). Approval and task events
 * come from different producers, so either may arrive first.
 */
async function syncRegion(m: EntityManager, approvalId: string) {
  return m.query(
    `UPDATE task_assignment a SET region_code = f.region_code FROM approval_fact f
     WHERE f.approval_id = $1 AND a.approval_id = $1 AND a.region_code IS DISTINCT FROM f.region_code`,
    [approvalId],
  );
}

async function upsertApproval(m: EntityManager, d: ApprovalDecidedV1 | ApprovalDecidedV2, e: Envelope) {
  await lockApproval(m, d.approvalId);
  await m.query(
    `INSERT INTO approval_fact (approval_id, correlation_id, uscc, entity_name, item_code, region_code, approver_department,
       kind, outcome, decided_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (approval_id) DO NOTHING`,
    [
      d.approvalId,
      e.correlationid,
      d.uscc,
      d.entityName,
      d.itemCode,
      d.regionCode,
      d.approverDepartment,
      d.kind,
      d.outcome,
      d.decidedAt,
      d.version,
    ],
  );
  await syncRegion(m, d.approvalId);
  await m.query(
    `UPDATE vacuum_approval v SET approver_department = f.approver_department FROM approval_fact f
     WHERE f.approval_id = $1 AND v.approval_id = $1 AND v.approver_department IS DISTINCT FROM f.approver_department`,
    [d.approvalId],
  );
}

/** The event types that open a case, and the source the figures name them by. */
const CASE_SOURCES: Record<string, string> = {
  [InspectionRecordedV1.type]: 'inspection',
  [InspectionRecordedV2.type]: 'inspection',
  [UnlicensedOperationClueV1.type]: 'unlicensed_clue',
  [CaseTransferredV1.type]: 'transfer',
  [CommitmentVerifiedV1.type]: 'commitment_breach',
};

/**
 * Where a case came from, read from the event that caused it (the causation id): an inspection, an
 * unlicensed-operation clue, a transfer, a commitment breach; without a cause, opened by hand (a
 * complaint or the department's own finding).
 */
async function caseSource(m: EntityManager, d: CaseOpenedV1, e: Envelope): Promise<string> {
  if (d.inspectionId) return 'inspection';
  if (!e.causationid) return 'manual';
  const [cause] = await m.query(`SELECT event_type FROM loop_event WHERE event_id = $1`, [e.causationid]);
  return CASE_SOURCES[cause?.event_type as string] ?? 'other';
}

/** Keeps the event for the trail, then moves the read model. */
export async function projectLoopEvent(manager: EntityManager, envelope: Envelope, data: unknown): Promise<void> {
  await manager.query(
    `INSERT INTO loop_event (event_id, event_type, source, subject, correlation_id, occurred_at, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
    [envelope.id, envelope.type, envelope.source, envelope.subject, envelope.correlationid, envelope.time, JSON.stringify(envelope.data)],
  );
  await PROJECTIONS[envelope.type]?.(manager, data, envelope);
}
