import { randomUUID } from 'node:crypto';
import { findWorkday, isWorkday } from 'chinese-days';
import {
  ApprovalDecidedV2,
  ApprovalUnroutedV1,
  CaseClosedV1,
  CaseOpenedV1,
  ComplaintAnsweredV1,
  ComplaintEscalatedV1,
  ComplaintRegisteredV1,
  createEnvelope,
  CreditObjectionAnsweredV1,
  CreditObjectionRaisedV1,
  CreditRepairAppliedV1,
  CreditRepairDecidedV1,
  CreditStatusChangedV1,
  Envelope,
  EventClass,
  LegalReviewRecordedV1,
  LegalReviewRequestedV1,
  PenaltyDecidedV1,
  TaskAssignedV1,
  TaskClaimedV1,
  TaskClaimReminderV1,
  TaskClosedV1,
  TaskEscalatedV1,
  TaskReturnedV1,
} from '@backbone/contracts';
import { testUscc } from '@backbone/testing';

export const APPROVER = '320700-APPROVAL';
export const SAMR = '320700-SAMR';
export const HEALTH = '320700-HEALTH';
export const HOUSING = '320700-HOUSING';
export const FOOD = 'FOOD-BUSINESS-LICENCE';
export const MEDICAL = 'MEDICAL-INSTITUTION';
export const NEW_FORMAT = 'NEW-BUSINESS-FORMAT';
const REGULATOR: Record<string, string> = { [FOOD]: SAMR, [MEDICAL]: HEALTH };

/** One push of a task to a department, as the generator knows it happened. */
export interface KnownAssignment {
  department: string;
  itemCode: string;
  regionCode: string;
  seq: number;
  assignedAt: Date;
  deadline: Date;
  claimedAt?: Date;
  /** Office hours to the claim, counted by hand (not by the code under test). */
  claimHours?: number;
  reminded: boolean;
  escalated: boolean;
  returned: boolean;
  closed: boolean;
}

export interface KnownVacuum {
  itemCode: string;
  regionCode: string;
  unroutedAt: Date;
  routedAt?: Date;
}

export interface LoopMonth {
  envelopes: Envelope[];
  assignments: KnownAssignment[];
  vacuum: KnownVacuum[];
  approvalIds: string[];
}

const at = (day: string, time: string) => new Date(`${day}T${time}+08:00`);
const dayAfter = (day: string, n = 1) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const chinaDay = (instant: Date) => new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Office hours (09:00–17:00 China time, working days) from 10:00 on `fromDay` to 10:00 on a later
 * `toDay`, counted plainly: the afternoon of the first day, whole days between, the morning of the last.
 */
function hoursAcrossDays(fromDay: string, toDay: string): number {
  let hours = isWorkday(fromDay) ? 7 : 0;
  for (let day = dayAfter(fromDay); day < toDay; day = dayAfter(day)) if (isWorkday(day)) hours += 8;
  return hours + (isWorkday(toDay) ? 1 : 0);
}

/**
 * A month of loop traffic around National Day 2025 (1–8 October off; Sunday 28 September and
 * Saturday 11 October are make-up working days), with every outcome the figures count: claimed in
 * time and late, reminded and escalated, returned and re-routed, closed, unrouted (and some routed
 * later). Three approvals a day from 26 September to 2 November; the answers are kept beside.
 */
export function generateLoopMonth(firstDay = '2025-09-26', lastDay = '2025-11-02'): LoopMonth {
  const envelopes: Envelope[] = [];
  const assignments: KnownAssignment[] = [];
  const vacuum: KnownVacuum[] = [];
  const approvalIds: string[] = [];
  const emit = <T extends object>(eventClass: EventClass<T>, data: T, subject: string, correlationId: string, time: Date, source: string) =>
    envelopes.push(createEnvelope(eventClass, { source, subject, data, correlationId, time }));

  let i = 0;
  for (let day = firstDay; day <= lastDay; day = dayAfter(day)) {
    for (let j = 0; j < 3; j++, i++) {
      const pattern = i % 10;
      const itemCode = pattern === 0 ? NEW_FORMAT : j < 2 ? FOOD : MEDICAL;
      const regionCode = j === 0 ? '320703' : '320706';
      const uscc = testUscc(500_000 + i);
      const approvalId = randomUUID();
      const taskId = randomUUID();
      const correlationId = randomUUID();
      approvalIds.push(approvalId);
      const pushedAt = at(day, '10:00:00');
      const decidedAt = at(day, '09:59:00');
      const approval = { subject: uscc, correlationId };
      const say = <T extends object>(eventClass: EventClass<T>, data: T, time: Date, source = '/supervision') =>
        emit(eventClass, data, approval.subject, approval.correlationId, time, source);

      say(
        ApprovalDecidedV2,
        {
          approvalId,
          version: 1,
          uscc,
          entityName: `连云港测试企业${i}有限公司`,
          itemCode,
          regionCode,
          approverDepartment: APPROVER,
          kind: 'licence',
          outcome: 'granted',
          decidedAt: decidedAt.toISOString(),
        },
        decidedAt,
        '/approval',
      );

      const assign = (department: string, when: Date, seq: number, routingRule: 'integrated' | 'separated' = 'separated') => {
        const deadline = new Date(`${findWorkday(5, chinaDay(when))}T23:59:59.999+08:00`);
        say(
          TaskAssignedV1,
          { taskId, approvalId, uscc, itemCode, assignedDepartment: department, routingRule, claimDeadline: deadline.toISOString() },
          when,
        );
        const known: KnownAssignment = {
          department,
          itemCode,
          regionCode,
          seq,
          assignedAt: when,
          deadline,
          reminded: false,
          escalated: false,
          returned: false,
          closed: false,
        };
        assignments.push(known);
        return known;
      };
      const claim = (known: KnownAssignment, claimDay: string, time: string, hours: number) => {
        known.claimedAt = at(claimDay, time);
        known.claimHours = hours;
        say(
          TaskClaimedV1,
          { taskId, approvalId, uscc, department: known.department, handler: '王芳', claimedAt: known.claimedAt.toISOString() },
          known.claimedAt,
        );
      };
      /** Claimed h hours after the push on a working day; on a day off, at 10:00 of the next working day (1 office hour). */
      const claimPromptly = (known: KnownAssignment) => {
        const h = 1 + (i % 4);
        if (isWorkday(day)) claim(known, day, `${String(10 + h).padStart(2, '0')}:00:00`, h);
        else claim(known, findWorkday(1, day), '10:00:00', 1);
      };

      if (pattern === 0) {
        const reason = `no catalog entry covers item ${itemCode} in region ${regionCode}`;
        say(ApprovalUnroutedV1, { approvalId, uscc, itemCode, regionCode, reason }, pushedAt);
        const known: KnownVacuum = { itemCode, regionCode, unroutedAt: pushedAt };
        vacuum.push(known);
        if (i % 20 === 0) {
          known.routedAt = at(dayAfter(day, 2), '10:00:00');
          assign(SAMR, known.routedAt, 1); // left unclaimed
        }
        continue;
      }
      const first = assign(REGULATOR[itemCode], pushedAt, 1);
      if (pattern === 1) {
        const reminderAt = at(chinaDay(first.deadline), '09:00:00');
        say(
          TaskClaimReminderV1,
          { taskId, approvalId, uscc, assignedDepartment: first.department, claimDeadline: first.deadline.toISOString() },
          reminderAt,
        );
        const escalatedAt = new Date(first.deadline.getTime() + 3600_000);
        say(
          TaskEscalatedV1,
          {
            taskId,
            approvalId,
            uscc,
            assignedDepartment: first.department,
            claimDeadline: first.deadline.toISOString(),
            escalatedAt: escalatedAt.toISOString(),
          },
          escalatedAt,
        );
        first.reminded = true;
        first.escalated = true;
      } else if (pattern === 2) {
        say(
          TaskReturnedV1,
          {
            taskId,
            approvalId,
            uscc,
            department: first.department,
            reason: '该事项不属于本部门监管职责',
            returnedAt: pushedAt.toISOString(),
          },
          pushedAt,
        );
        first.returned = true;
        claimPromptly(assign(HOUSING, pushedAt, 2));
      } else if (pattern === 3) {
        const claimDay = dayAfter(chinaDay(first.deadline));
        claim(first, claimDay, '10:00:00', hoursAcrossDays(day, claimDay));
      } else {
        claimPromptly(first);
        if (pattern === 4) {
          const closedAt = new Date((first.claimedAt as Date).getTime() + 3600_000);
          say(
            TaskClosedV1,
            { taskId, approvalId, uscc, department: first.department, reason: '监管完毕', closedAt: closedAt.toISOString() },
            closedAt,
          );
          first.closed = true;
        }
      }
    }
  }
  return { envelopes, assignments, vacuum, approvalIds };
}

/**
 * A few enforcement cases and credit changes, with the answers: cases by source, severity and outcome,
 * legal reviews (one pending, one pending on a case closed since), decisions published on time and late
 * (recorded ten days after the decision), complaints answered on time, late and not at all (past their
 * deadline, and not yet due), credit repairs and objections answered and pending. "Pending" is judged
 * at `asOf` (10 days after `day`).
 */
export function generateEnforcement(day = '2025-10-15') {
  const envelopes: Envelope[] = [];
  const asOf = new Date(at(day, '00:00:00').getTime() + 10 * 86_400_000);
  const emit =
    (source: string, subject: string, correlationId = randomUUID()) =>
    <T extends object>(eventClass: EventClass<T>, data: T, time: Date) =>
      envelopes.push(createEnvelope(eventClass, { source, subject, data, correlationId, time }));
  const cases = [
    { uscc: testUscc(900_001), inspectionId: randomUUID(), penalties: ['fine'] as const, recordedDaysLater: 0 },
    { uscc: testUscc(900_002), inspectionId: randomUUID(), penalties: ['licence_suspension', 'fine'] as const, recordedDaysLater: 10 },
    { uscc: testUscc(900_003), inspectionId: undefined, penalties: [] as const, recordedDaysLater: 0 },
  ].map((c) => ({ ...c, caseId: randomUUID(), push: emit('/enforcement', c.uscc) }));
  for (const [index, c] of cases.entries()) {
    const { caseId, push } = c;
    const openedAt = at(day, `1${index}:00:00`);
    push(
      CaseOpenedV1,
      { caseId, uscc: c.uscc, department: SAMR, violationCodes: ['FOOD-001'], ...(c.inspectionId ? { inspectionId: c.inspectionId } : {}) },
      openedAt,
    );
    if (c.penalties.length > 0) {
      const decidedAt = new Date(openedAt.getTime() + 3600_000);
      push(
        PenaltyDecidedV1,
        {
          caseId,
          decisionId: randomUUID(),
          uscc: c.uscc,
          department: SAMR,
          decisionNumber: `连市监罚〔2025〕${index + 1}号`,
          penalties: c.penalties.map((kind) => (kind === 'fine' ? { kind, amount: 5000 } : { kind })),
          decidedAt: decidedAt.toISOString(),
        },
        new Date(decidedAt.getTime() + c.recordedDaysLater * 86_400_000),
      );
    }
  }
  // Legal reviews: case 0 rejected, then asked again and left unanswered until the case closed; case 1
  // approved; case 2 still waiting.
  const review = (c: (typeof cases)[number], requested: string, answer?: { outcome: 'approved' | 'rejected'; at: string }) => {
    const reviewId = randomUUID();
    const base = { reviewId, caseId: c.caseId, uscc: c.uscc, department: SAMR };
    c.push(LegalReviewRequestedV1, { ...base, action: 'decide', requestedAt: at(day, requested).toISOString() }, at(day, requested));
    if (answer)
      c.push(
        LegalReviewRecordedV1,
        { ...base, reviewerDepartment: '320700-JUSTICE', outcome: answer.outcome, reviewedAt: at(day, answer.at).toISOString() },
        at(day, answer.at),
      );
  };
  review(cases[0], '10:10:00', { outcome: 'rejected', at: '10:20:00' });
  review(cases[0], '10:30:00');
  review(cases[1], '10:30:00', { outcome: 'approved', at: '10:50:00' });
  review(cases[2], '12:30:00');
  const closedAt = at(day, '12:00:00');
  cases[0].push(
    CaseClosedV1,
    { caseId: cases[0].caseId, uscc: cases[0].uscc, department: SAMR, outcome: 'executed', closedAt: closedAt.toISOString() },
    closedAt,
  );

  // Complaints: answered on time; answered late after an escalation; escalated and never answered; not yet due.
  const complaint = (n: number, department: string, deadline: Date, answeredAt?: Date, escalatedAt?: Date) => {
    const uscc = testUscc(910_000 + n);
    const push = emit('/enforcement', uscc);
    const complaintId = randomUUID();
    const registeredAt = at(day, '09:00:00');
    const answerDeadline = deadline.toISOString();
    push(
      ComplaintRegisteredV1,
      {
        complaintId,
        uscc,
        kind: 'complaint',
        channel: 'window',
        department,
        repeatCount: 0,
        answerDeadline,
        registeredAt: registeredAt.toISOString(),
      },
      registeredAt,
    );
    if (escalatedAt)
      push(
        ComplaintEscalatedV1,
        { complaintId, uscc, department, channel: 'window', answerDeadline, escalatedAt: escalatedAt.toISOString() },
        escalatedAt,
      );
    if (answeredAt)
      push(
        ComplaintAnsweredV1,
        { complaintId, uscc, channel: 'window', department, answer: '已核实处理。', answerDeadline, answeredAt: answeredAt.toISOString() },
        answeredAt,
      );
  };
  const dueSoon = at(dayAfter(day, 2), '23:59:59');
  complaint(1, SAMR, at(dayAfter(day, 7), '23:59:59'), at(dayAfter(day, 1), '10:00:00'));
  complaint(2, SAMR, dueSoon, at(dayAfter(day, 5), '10:00:00'), at(dayAfter(day, 3), '00:10:00'));
  complaint(3, SAMR, dueSoon, undefined, at(dayAfter(day, 3), '00:10:00'));
  complaint(4, HEALTH, at(dayAfter(day, 45), '23:59:59'));

  // Credit repairs (filed by SAMR) and objections (raised by HEALTH): one of each answered, one waiting.
  const request = (kind: 'repair' | 'objection', n: number, answered?: Date) => {
    const uscc = testUscc(920_000 + n);
    const push = emit('/credit', uscc);
    const id = randomUUID();
    const filedAt = at(day, '15:00:00').toISOString();
    if (kind === 'repair') {
      push(
        CreditRepairAppliedV1,
        { repairId: id, uscc, entryId: String(n), applicantDepartment: SAMR, appliedAt: filedAt },
        new Date(filedAt),
      );
      if (answered)
        push(
          CreditRepairDecidedV1,
          {
            repairId: id,
            uscc,
            applicantDepartment: SAMR,
            outcome: 'approved',
            decidedBy: '320700-CREDIT',
            decidedAt: answered.toISOString(),
          },
          answered,
        );
    } else {
      push(CreditObjectionRaisedV1, { objectionId: id, uscc, entryId: String(n), raisedBy: HEALTH, raisedAt: filedAt }, new Date(filedAt));
      if (answered)
        push(
          CreditObjectionAnsweredV1,
          { objectionId: id, uscc, raisedBy: HEALTH, outcome: 'rejected', answeredBy: '320700-CREDIT', answeredAt: answered.toISOString() },
          answered,
        );
    }
  };
  request('repair', 1, at(dayAfter(day, 2), '10:00:00'));
  request('repair', 2);
  request('objection', 3, at(dayAfter(day, 1), '10:00:00'));
  request('objection', 4);

  const credit = (uscc: string, tier: 'A' | 'B' | 'C' | 'D', lists: ('serious_dishonesty' | 'abnormal_operation')[], time: Date) =>
    envelopes.push(
      createEnvelope(CreditStatusChangedV1, {
        source: '/credit',
        subject: uscc,
        correlationId: randomUUID(),
        time,
        data: { uscc, tier, lists, measures: [], facts: [], effectiveAt: time.toISOString() },
      }),
    );
  credit(cases[0].uscc, 'B', [], at(day, '12:00:00'));
  credit(cases[1].uscc, 'C', ['abnormal_operation'], at(day, '12:00:00'));
  credit(cases[1].uscc, 'D', ['serious_dishonesty', 'abnormal_operation'], at(day, '13:00:00'));
  return {
    envelopes,
    asOf,
    expected: {
      opened: 3,
      bySource: { inspection: 2, manual: 1 },
      bySeverity: { general: 1, severe: 1, undecided: 1 },
      closedByOutcome: { executed: 1 },
      openNow: 2,
      tiers: { B: 1, D: 1 },
      lists: { abnormal_operation: 1, serious_dishonesty: 1 },
      legalReviews: { requested: 4, approved: 1, rejected: 1, pendingNow: 1 },
      decisions: { decided: 2, publishedOnTime: 1, publishedLate: 1, onTimeRate: 0.5, deadlineWorkingDays: 7 },
      complaints: {
        registered: 4,
        answered: 2,
        answeredLate: 1,
        escalated: 2,
        pendingNow: 2,
        pastDeadlineNow: 1,
        waitingByDepartment: [
          { key: SAMR, pending: 1, pastDeadline: 1 },
          { key: HEALTH, pending: 1, pastDeadline: 0 },
        ],
      },
      repairs: { filed: 2, answered: 1, pendingNow: 1 },
      objections: { filed: 2, answered: 1, pendingNow: 1 },
    },
  };
}

/** percentile_cont: linear interpolation between the closest ranks. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return Math.round((sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower)) * 100) / 100;
}

/** The figures the console must report for assignments pushed in [start, end), judged at `asOf`. */
export function expectedFigures(assignments: KnownAssignment[], start: Date, end: Date, asOf: Date) {
  const inPeriod = assignments.filter((a) => a.assignedAt >= start && a.assignedAt < end);
  const claimed = inPeriod.filter((a) => a.claimedAt);
  const hours = claimed.map((a) => a.claimHours as number);
  return {
    pushed: inPeriod.length,
    claimed: claimed.length,
    claimedWithinDeadline: claimed.filter((a) => (a.claimedAt as Date) <= a.deadline).length,
    overdueUnclaimed: inPeriod.filter((a) => !a.claimedAt && !a.returned && !a.closed && a.deadline < asOf).length,
    reminded: inPeriod.filter((a) => a.reminded).length,
    escalated: inPeriod.filter((a) => a.escalated).length,
    returned: inPeriod.filter((a) => a.returned).length,
    rerouted: inPeriod.filter((a) => a.seq > 1).length,
    closed: inPeriod.filter((a) => a.closed).length,
    associationRate: inPeriod.length > 0 ? Math.round((claimed.length / inPeriod.length) * 10000) / 10000 : null,
    medianClaimHours: percentile(hours, 0.5),
    p90ClaimHours: percentile(hours, 0.9),
  };
}
