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
    let after: { deadline: Date; id: string } | null = null;
    for (;;) {
      const page: Complaint[] = await this.dataSource.transaction(async (manager) => {
        const builder = manager
          .getRepository(Complaint)
          .createQueryBuilder('c')
          .where(`c.status <> 'answered'`)
          .andWhere('c.escalated_at IS NULL')
          .andWhere('c.answer_deadline <= :remindFrom', { remindFrom });
        if (after) builder.andWhere('(c.answer_deadline, c.id) > (:deadline, :id)', after);
        const rows = await builder
          .orderBy('c.answer_deadline', 'ASC')
          .addOrderBy('c.id', 'ASC')
          .take(PAGE)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        for (const complaint of rows) {
          if (complaint.answerDeadline.getTime() < asOf.getTime()) {
            complaint.escalatedAt = asOf;
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
