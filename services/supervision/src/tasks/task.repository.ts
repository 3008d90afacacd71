import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull, LessThan, SelectQueryBuilder } from 'typeorm';
import { EventClass, TaskAssignedV1, TaskClaimedV1 } from '@backbone/contracts';
import { Outbox, OutgoingOf } from '@backbone/messaging';
import { insertRows } from '@backbone/platform';
import { SupervisionTask } from './supervision-task.entity';

/** Whose work an event continues, when it is not the task's own loop (an incoming event being handled). */
export interface EventOrigin {
  correlationId: string;
  causationId: string;
}

/**
 * A new task for `insertMany`: `origin` as for `save`; `payloadChecked`: its assignment and automatic claim
 * are valid by construction (`openedTaskEventsValidByConstruction`, ADR 0036) and are not validated again.
 */
export interface NewTask {
  task: SupervisionTask;
  origin?: EventOrigin;
  payloadChecked?: boolean;
}

/**
 * The port through which use cases load and store tasks. Every method works in the caller's transaction
 * (`manager`); saving a task publishes, through the outbox of that transaction, the events its changes
 * caused (`SupervisionTask.pullEvents`), in the order they were caused. Use cases depend on this class
 * only, so that unit specs can give them a fake; TypeOrmTaskRepository is the implementation.
 */
export abstract class TaskRepository {
  /** The task, its row locked for the rest of the transaction. */
  abstract lock(manager: EntityManager, id: string): Promise<SupervisionTask | null>;
  /** The task of an approval (one per approval), its row locked. */
  abstract lockByApproval(manager: EntityManager, approvalId: string): Promise<SupervisionTask | null>;
  /** The task of an approval, unlocked. */
  abstract findByApproval(manager: EntityManager, approvalId: string): Promise<SupervisionTask | null>;
  /** Which of these approvals have a task already (one per approval). */
  async approvalsWithTask(manager: EntityManager, approvalIds: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const approvalId of new Set(approvalIds)) if (await this.findByApproval(manager, approvalId)) found.add(approvalId);
    return found;
  }
  /** Returned tasks of an item, locked: what a catalog change may route again. */
  abstract lockReturned(manager: EntityManager, itemCode: string): Promise<SupervisionTask[]>;
  /**
   * The first `limit` assigned tasks past their claim deadline and not yet escalated, earliest deadline first
   * (then by id: a stable order); rows another sweep holds are skipped.
   */
  abstract lockOverdue(manager: EntityManager, asOf: Date, limit: number): Promise<SupervisionTask[]>;
  /**
   * The first `limit` assigned tasks neither reminded nor escalated whose claim deadline lies in [asOf, dueBy]
   * (their reminder is due), earliest deadline first, then by id; rows another sweep holds are skipped.
   */
  abstract lockReminderDue(manager: EntityManager, asOf: Date, dueBy: Date, limit: number): Promise<SupervisionTask[]>;
  /** Stores a new task and publishes its events. */
  abstract insert(manager: EntityManager, task: SupervisionTask): Promise<void>;
  /**
   * Stores new tasks and publishes their events in order, each caused by `origin` when given (the event
   * that opened it, in a batch). Implementations may do it in one statement for the rows and one for the
   * events; this default inserts them one by one.
   */
  async insertMany(manager: EntityManager, tasks: NewTask[]): Promise<void> {
    for (const { task } of tasks) await this.insert(manager, task);
  }
  /** Stores a task's changes and publishes its events (on `origin`'s loop when given). */
  abstract save(manager: EntityManager, task: SupervisionTask, origin?: EventOrigin): Promise<void>;
  /**
   * Stores what the deadline sweep marked on these tasks (reminded_at, escalated_at, updated_at) and
   * publishes their events, each on its task's loop. Implementations may do it in one statement for the
   * rows and one for the events; this default saves them one by one.
   */
  async saveSweepMarks(manager: EntityManager, tasks: SupervisionTask[]): Promise<void> {
    for (const task of tasks) await this.save(manager, task);
  }
  /** Publishes a task's events without storing anything (its changes were saved already). */
  abstract publish(manager: EntityManager, task: SupervisionTask, origin?: EventOrigin): Promise<void>;
}

/**
 * The first $3 assigned tasks neither reminded nor escalated whose claim deadline lies in [$1, $2], earliest
 * deadline first (then by id), locked; rows another sweep holds are skipped. Read from
 * `supervision_task_unreminded`, which holds only tasks not yet reminded: a reminded task is not read again
 * at every sweep until its deadline passes (ADR 0086).
 */
export const REMINDER_DUE = `SELECT id FROM supervision_task
        WHERE status = 'assigned' AND reminded_at IS NULL AND escalated_at IS NULL AND claim_deadline BETWEEN $1 AND $2
        ORDER BY claim_deadline, id
        LIMIT $3
          FOR UPDATE SKIP LOCKED`;

/**
 * The returned tasks of an item, locked: read from `supervision_task_returned`, which holds only returned
 * tasks (ADR 0105), so that the index is not paid for by every task a decided event opens.
 */
export function returnedTasks(manager: EntityManager, itemCode: string): SelectQueryBuilder<SupervisionTask> {
  return manager
    .createQueryBuilder(SupervisionTask, 't')
    .where(`t.status = 'returned' AND t.item_code = :itemCode`, { itemCode })
    .setLock('pessimistic_write');
}

@Injectable()
export class TypeOrmTaskRepository extends TaskRepository {
  constructor(private readonly outbox: Outbox) {
    super();
  }

  lock(manager: EntityManager, id: string): Promise<SupervisionTask | null> {
    return manager.findOne(SupervisionTask, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  lockByApproval(manager: EntityManager, approvalId: string): Promise<SupervisionTask | null> {
    return manager.findOne(SupervisionTask, { where: { approvalId }, lock: { mode: 'pessimistic_write' } });
  }

  findByApproval(manager: EntityManager, approvalId: string): Promise<SupervisionTask | null> {
    return manager.findOneBy(SupervisionTask, { approvalId });
  }

  /** One query for the whole list. */
  override async approvalsWithTask(manager: EntityManager, approvalIds: string[]): Promise<Set<string>> {
    if (approvalIds.length === 0) return new Set();
    const rows: Array<{ approval_id: string }> = await manager.query(
      `SELECT approval_id FROM supervision_task WHERE approval_id = ANY($1::uuid[])`,
      [[...new Set(approvalIds)]],
    );
    return new Set(rows.map((row) => row.approval_id));
  }

  lockReturned(manager: EntityManager, itemCode: string): Promise<SupervisionTask[]> {
    return returnedTasks(manager, itemCode).getMany();
  }

  lockOverdue(manager: EntityManager, asOf: Date, limit: number): Promise<SupervisionTask[]> {
    return manager.find(SupervisionTask, {
      where: { status: 'assigned', escalatedAt: IsNull(), claimDeadline: LessThan(asOf) },
      order: { claimDeadline: 'ASC', id: 'ASC' },
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
      take: limit,
    });
  }

  /** The page's rows found and locked by REMINDER_DUE, then loaded as tasks (their rows are held: they cannot change between). */
  async lockReminderDue(manager: EntityManager, asOf: Date, dueBy: Date, limit: number): Promise<SupervisionTask[]> {
    const due: Array<{ id: string }> = await manager.query(REMINDER_DUE, [asOf, dueBy, limit]);
    if (due.length === 0) return [];
    const tasks = new Map((await manager.findBy(SupervisionTask, { id: In(due.map((row) => row.id)) })).map((task) => [task.id, task]));
    return due.map((row) => tasks.get(row.id)).filter((task): task is SupervisionTask => task !== undefined);
  }

  /** The task and its events: one outbox row for them all (its assignment and automatic claim, say). */
  async insert(manager: EntityManager, task: SupervisionTask): Promise<void> {
    await manager.insert(SupervisionTask, task);
    await this.outbox.addTogether(manager, [pendingEvents(task)]);
  }

  /**
   * One multi-row INSERT for the tasks, one for all their events (ADR 0027), one outbox row per task
   * carrying its events (ADR 0031: an automatically claimed task's two events are one row).
   */
  override async insertMany(manager: EntityManager, tasks: NewTask[]): Promise<void> {
    if (tasks.length === 0) return;
    // One statement, one parameter (TypeORM's multi-row insert costs CPU quadratic in its parameters).
    await insertRows(
      manager,
      SupervisionTask,
      tasks.map(({ task }) => task),
    );
    await this.outbox.addTogether(
      manager,
      tasks.map(({ task, origin, payloadChecked }) => pendingEvents(task, origin, payloadChecked)),
    );
  }

  async save(manager: EntityManager, task: SupervisionTask, origin?: EventOrigin): Promise<void> {
    await manager.save(task);
    await this.publish(manager, task, origin);
  }

  /**
   * One UPDATE for a page of swept tasks and one INSERT for their events (one outbox row per task), where
   * `save` costs a SELECT and an UPDATE per task and an INSERT per event: a sweep of thousands of overdue
   * tasks is a few statements per page, not thousands.
   */
  override async saveSweepMarks(manager: EntityManager, tasks: SupervisionTask[]): Promise<void> {
    if (tasks.length === 0) return;
    await manager.query(
      `UPDATE supervision_task t
          SET reminded_at = u.reminded_at, escalated_at = u.escalated_at, updated_at = u.updated_at
         FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[]) AS u(id, reminded_at, escalated_at, updated_at)
        WHERE t.id = u.id`,
      [
        tasks.map((task) => task.id),
        tasks.map((task) => task.remindedAt),
        tasks.map((task) => task.escalatedAt),
        tasks.map((task) => task.updatedAt),
      ],
    );
    await this.outbox.addTogether(
      manager,
      tasks.map((task) => pendingEvents(task)),
    );
  }

  async publish(manager: EntityManager, task: SupervisionTask, origin?: EventOrigin): Promise<void> {
    await this.outbox.addMany(manager, pendingEvents(task, origin));
  }
}

/**
 * A task's events not yet published, in the order they were caused, on `origin`'s loop when given.
 * `payloadChecked`: its assignment and claim are not validated again (any other event is; ADR 0036).
 */
function pendingEvents(task: SupervisionTask, origin?: EventOrigin, payloadChecked = false): Array<OutgoingOf<object>> {
  return task.pullEvents().map((event) => ({
    eventClass: event.type,
    event: {
      subject: task.uscc,
      data: event.data,
      correlationId: origin?.correlationId ?? task.correlationId,
      causationId: origin?.causationId,
    },
    ...(payloadChecked && OPENING_EVENTS.has(event.type) ? { payloadChecked: true } : {}),
  }));
}

/** What opening a task causes and `openedTaskEventsValidByConstruction` answers for. */
const OPENING_EVENTS: ReadonlySet<EventClass> = new Set<EventClass>([TaskAssignedV1, TaskClaimedV1]);
