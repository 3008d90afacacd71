import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { UnlicensedOperationClueV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { Metrics } from '@backbone/platform';
import { EntityNotification } from '../../registrations/registration.entity';
import { TaskRepository } from '../../tasks/task.repository';

/** At most this many tasks (and notifications) of each kind per sweep; the next sweep takes the rest. */
const BATCH = 1000;

/** A claim deadline is the end (23:59:59.999 China time) of a working day; its last working day began this long before. */
const LAST_WORKING_DAY_MS = 24 * 3600_000 - 1;

/** When the reminder of an unclaimed task is due: at the start of the last working day before its deadline. */
export function reminderDueAt(claimDeadline: Date): Date {
  return new Date(claimDeadline.getTime() - LAST_WORKING_DAY_MS);
}

export interface SweepResult {
  asOf: string;
  reminded: string[];
  escalated: string[];
  unlicensedClues: string[];
}

/**
 * The deadline sweep, run periodically and on an operator's request (with `asOf`, so that tests need no
 * clock tricks). Each effect happens once per task or notification, whichever instance runs it:
 * - reminder (TaskClaimReminderV1): an assigned task on the last working day before its claim deadline,
 *   i.e. with less than one working day left;
 * - escalation (TaskEscalatedV1): an assigned task whose claim deadline has passed;
 * - unlicensed-operation clue (UnlicensedOperationClueV1): a double notification whose licence was not
 *   granted by its due date, pushed to the department the law names (basis no_permit).
 */
@Injectable()
export class RunDeadlineSweepService {
  private readonly counter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly tasks: TaskRepository,
    metrics: Metrics,
  ) {
    this.counter = metrics.counter('supervision_deadline_sweep_effects_total', 'Reminders, escalations and unlicensed-operation clues', [
      'effect',
    ]);
  }

  sweep(asOf: Date = new Date()): Promise<SweepResult> {
    return this.dataSource.transaction(async (manager) => {
      const result: SweepResult = { asOf: asOf.toISOString(), reminded: [], escalated: [], unlicensedClues: [] };

      for (const task of await this.tasks.lockOverdue(manager, asOf, BATCH)) {
        task.escalate(asOf);
        await this.tasks.save(manager, task);
        result.escalated.push(task.id);
      }

      const unreminded = await this.tasks.lockUnreminded(manager, asOf, BATCH);
      for (const task of unreminded.filter((t) => reminderDueAt(t.claimDeadline) <= asOf)) {
        task.remind(asOf);
        await this.tasks.save(manager, task);
        result.reminded.push(task.id);
      }

      const unlicensed = await manager.find(EntityNotification, {
        where: { licensedAt: IsNull(), clueId: IsNull(), licenceDueAt: LessThan(asOf) },
        lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
        take: BATCH,
      });
      for (const notification of unlicensed) {
        notification.clueId = randomUUID();
        notification.clueAt = asOf;
        await manager.save(notification);
        await this.outbox.add(manager, UnlicensedOperationClueV1, {
          subject: notification.uscc,
          correlationId: notification.registrationId,
          data: {
            clueId: notification.clueId,
            uscc: notification.uscc,
            entityName: notification.entityName,
            itemCode: notification.itemCode,
            department: notification.competentDepartment,
            basis: 'no_permit',
            reason:
              `registered with a business scope that needs ${notification.itemName} (${notification.itemCode}); ` +
              `no licence granted by ${notification.licenceDueAt.toISOString()}`,
            detectedAt: asOf.toISOString(),
          },
        });
        result.unlicensedClues.push(notification.clueId);
      }

      this.counter.inc({ effect: 'reminder' }, result.reminded.length);
      this.counter.inc({ effect: 'escalation' }, result.escalated.length);
      this.counter.inc({ effect: 'unlicensed_clue' }, result.unlicensedClues.length);
      return result;
    });
  }
}
