import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, LessThan } from 'typeorm';
import { CommitmentVerificationEscalatedV1, UnlicensedOperationClueV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { Metrics } from '@backbone/platform';
import { EntityNotification } from '../../registrations/registration.entity';
import { SupervisionTask } from '../../tasks/supervision-task.entity';
import { TaskRepository } from '../../tasks/task.repository';

/** Rows of one kind per page (one transaction); the sweep takes pages until one comes back short. */
export const SWEEP_PAGE = 1000;

/** A claim deadline is the end (23:59:59.999 China time) of a working day; its last working day began this long before. */
const LAST_WORKING_DAY_MS = 24 * 3600_000 - 1;

/** When the reminder of an unclaimed task is due: at the start of the last working day before its deadline. */
export function reminderDueAt(claimDeadline: Date): Date {
  return new Date(claimDeadline.getTime() - LAST_WORKING_DAY_MS);
}

/** The latest claim deadline whose reminder is due at `asOf` (the inverse of reminderDueAt). */
export function remindDeadlinesUntil(asOf: Date): Date {
  return new Date(asOf.getTime() + LAST_WORKING_DAY_MS);
}

/**
 * The first $2 commitment verifications not recorded by their due date and not yet escalated, as of $1,
 * earliest due first (then by id), locked; rows another sweep holds are skipped. Read from
 * `commitment_verification_unescalated`, which holds only those the sweep may still escalate: an escalated
 * verification never recorded is not read again at every sweep (ADR 0086).
 */
export const OVERDUE_VERIFICATIONS = `SELECT id, approval_id, task_id, correlation_id, uscc, item_code, due_at
         FROM commitment_verification
        WHERE verified_at IS NULL AND escalated_at IS NULL AND task_id IS NOT NULL AND due_at < $1
        ORDER BY due_at, id
        LIMIT $2
          FOR UPDATE SKIP LOCKED`;

interface OverdueVerificationRow {
  id: string;
  approval_id: string;
  task_id: string;
  correlation_id: string;
  uscc: string;
  item_code: string;
  due_at: Date;
}

export interface SweepResult {
  asOf: string;
  reminded: string[];
  escalated: string[];
  unlicensedClues: string[];
  /** Commitment verifications escalated because they were not recorded by their due date. */
  escalatedVerifications: string[];
}

/**
 * The deadline sweep, run periodically and on an operator's request (with `asOf`, so that tests need no
 * clock tricks). Each effect happens once per task, notification or verification, whichever instance runs it:
 * - reminder (TaskClaimReminderV1): an assigned task on the last working day before its claim deadline,
 *   i.e. with less than one working day left;
 * - escalation (TaskEscalatedV1): an assigned task whose claim deadline has passed;
 * - unlicensed-operation clue (UnlicensedOperationClueV1): a double notification whose licence was not
 *   granted by its due date, pushed to the department the law names (basis no_permit);
 * - verification escalation (CommitmentVerificationEscalatedV1): a commitment verification not recorded
 *   by its due date.
 *
 * What is due is selected in SQL, in a stable order (deadline, then id), one page of SWEEP_PAGE rows per
 * transaction; each page's effects take its rows out of the selection, so the next page starts where it
 * ended and nothing due is missed however many tasks are open. Rows another sweep holds are skipped (it
 * handles them); a short page ends that kind.
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

  async sweep(asOf: Date = new Date()): Promise<SweepResult> {
    const result: SweepResult = { asOf: asOf.toISOString(), reminded: [], escalated: [], unlicensedClues: [], escalatedVerifications: [] };
    await this.pages(async (manager) => {
      const overdue = await this.tasks.lockOverdue(manager, asOf, SWEEP_PAGE);
      for (const task of overdue) task.escalate(asOf);
      await this.tasks.saveSweepMarks(manager, overdue);
      result.escalated.push(...overdue.map((task) => task.id));
      return overdue.length;
    });
    await this.pages(async (manager) => {
      const due = await this.tasks.lockReminderDue(manager, asOf, remindDeadlinesUntil(asOf), SWEEP_PAGE);
      for (const task of due) task.remind(asOf);
      await this.tasks.saveSweepMarks(manager, due);
      result.reminded.push(...due.map((task) => task.id));
      return due.length;
    });
    await this.pages(async (manager) => {
      const clues = await this.pushUnlicensedClues(manager, asOf);
      result.unlicensedClues.push(...clues);
      return clues.length;
    });
    await this.pages(async (manager) => {
      const escalated = await this.escalateVerifications(manager, asOf);
      result.escalatedVerifications.push(...escalated);
      return escalated.length;
    });

    this.counter.inc({ effect: 'reminder' }, result.reminded.length);
    this.counter.inc({ effect: 'escalation' }, result.escalated.length);
    this.counter.inc({ effect: 'unlicensed_clue' }, result.unlicensedClues.length);
    this.counter.inc({ effect: 'verification_escalation' }, result.escalatedVerifications.length);
    return result;
  }

  /** Runs `page` in a transaction of its own until it handles fewer than a full page. */
  private async pages(page: (manager: EntityManager) => Promise<number>): Promise<void> {
    for (;;) {
      const handled = await this.dataSource.transaction(page);
      if (handled < SWEEP_PAGE) return;
    }
  }

  private async pushUnlicensedClues(manager: EntityManager, asOf: Date): Promise<string[]> {
    const unlicensed = await manager.find(EntityNotification, {
      where: { licensedAt: IsNull(), clueId: IsNull(), licenceDueAt: LessThan(asOf) },
      order: { licenceDueAt: 'ASC', id: 'ASC' },
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
      take: SWEEP_PAGE,
    });
    const clues: string[] = [];
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
      clues.push(notification.clueId);
    }
    return clues;
  }

  private async escalateVerifications(manager: EntityManager, asOf: Date): Promise<string[]> {
    const overdue: OverdueVerificationRow[] = await manager.query(OVERDUE_VERIFICATIONS, [asOf, SWEEP_PAGE]);
    if (overdue.length === 0) return [];
    const tasks = await manager.findBy(SupervisionTask, { id: In(overdue.map((verification) => verification.task_id)) });
    const departments = new Map(tasks.map((task) => [task.id, task.assignedDepartment]));
    // The page's rows are held by this transaction: one UPDATE marks them all, as a save of each did.
    await manager.query(`UPDATE commitment_verification SET escalated_at = $1 WHERE id = ANY($2::uuid[])`, [
      asOf,
      overdue.map((verification) => verification.id),
    ]);
    for (const verification of overdue) {
      await this.outbox.add(manager, CommitmentVerificationEscalatedV1, {
        subject: verification.uscc,
        correlationId: verification.correlation_id,
        data: {
          verificationId: verification.id,
          approvalId: verification.approval_id,
          uscc: verification.uscc,
          itemCode: verification.item_code,
          department: departments.get(verification.task_id) ?? 'UNASSIGNED',
          dueAt: verification.due_at.toISOString(),
          escalatedAt: asOf.toISOString(),
        },
      });
    }
    return overdue.map((verification) => verification.id);
  }
}
