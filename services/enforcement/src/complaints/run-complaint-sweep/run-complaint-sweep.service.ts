import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ComplaintAnswerReminderV1, ComplaintEscalatedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { Complaint } from '../complaint.entity';
import { reminderDueAt } from '../complaint.rules';

export interface ComplaintSweepResult {
  asOf: string;
  reminded: string[];
  escalated: string[];
}

const PAGE = 500;

/** What the sweep reads of a complaint. */
type SweptComplaint = Pick<Complaint, 'id' | 'uscc' | 'department' | 'channel' | 'externalRef' | 'answerDeadline' | 'remindedAt'>;

/** Where the first page starts: before every (deadline, id). */
const FIRST: { deadline: Date | string; id: string } = { deadline: '-infinity', id: '00000000-0000-0000-0000-000000000000' };

/**
 * A page of the complaints the sweep may still act on, locked: not answered, not yet escalated, the
 * deadline at most $1 (the end of the reminder window), after ($2, $3) in (deadline, id) order. Read by
 * complaint_unescalated_deadline, which holds only those: the complaints escalated and still unanswered
 * are not read again at every sweep (ADR 0085).
 */
export const COMPLAINT_SWEEP_PAGE = `
  SELECT id, uscc, department, channel, external_ref AS "externalRef", answer_deadline AS "answerDeadline",
         reminded_at AS "remindedAt"
    FROM complaint
   WHERE status <> 'answered' AND escalated_at IS NULL AND answer_deadline <= $1
     AND (answer_deadline, id) > ($2::timestamptz, $3::uuid)
   ORDER BY answer_deadline, id
   LIMIT ${PAGE}
     FOR UPDATE SKIP LOCKED`;

/**
 * Chases unanswered complaints like claim deadlines (督办), as of an instant:
 * - reminder (ComplaintAnswerReminderV1) on the last working day before the answer deadline;
 * - escalation (ComplaintEscalatedV1) once the deadline has passed; the operators' view shows it.
 * Each effect happens once per complaint, whichever instance runs it (row locks, skip locked). Pages
 * through the open complaints in a stable order (deadline, id), so none is missed however many are open.
 */
@Injectable()
export class RunComplaintSweepService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  async sweep(asOf = new Date()): Promise<ComplaintSweepResult> {
    const result: ComplaintSweepResult = { asOf: asOf.toISOString(), reminded: [], escalated: [] };
    // Due for something: not answered, not escalated, and at least in its reminder window.
    const remindFrom = new Date(asOf.getTime() + (24 * 3600_000 - 1));
    let after = FIRST;
    for (;;) {
      const page: SweptComplaint[] = await this.dataSource.transaction(async (manager) => {
        const rows: SweptComplaint[] = await manager.query(COMPLAINT_SWEEP_PAGE, [remindFrom, after.deadline, after.id]);
        for (const complaint of rows) {
          if (complaint.answerDeadline.getTime() < asOf.getTime()) {
            await manager.update(Complaint, { id: complaint.id }, { escalatedAt: asOf });
            await this.outbox.add(manager, ComplaintEscalatedV1, {
              subject: complaint.uscc,
              correlationId: complaint.id,
              data: {
                complaintId: complaint.id,
                uscc: complaint.uscc,
                department: complaint.department,
                channel: complaint.channel,
                ...(complaint.externalRef ? { externalRef: complaint.externalRef } : {}),
                answerDeadline: complaint.answerDeadline.toISOString(),
                escalatedAt: asOf.toISOString(),
              },
            });
            result.escalated.push(complaint.id);
          } else if (!complaint.remindedAt && reminderDueAt(complaint.answerDeadline).getTime() <= asOf.getTime()) {
            await manager.update(Complaint, { id: complaint.id }, { remindedAt: asOf });
            await this.outbox.add(manager, ComplaintAnswerReminderV1, {
              subject: complaint.uscc,
              correlationId: complaint.id,
              data: {
                complaintId: complaint.id,
                uscc: complaint.uscc,
                department: complaint.department,
                answerDeadline: complaint.answerDeadline.toISOString(),
                remindedAt: asOf.toISOString(),
              },
            });
            result.reminded.push(complaint.id);
          }
        }
        return rows;
      });
      if (page.length < PAGE) return result;
      const last = page[page.length - 1];
      after = { deadline: last.answerDeadline, id: last.id };
    }
  }
}
