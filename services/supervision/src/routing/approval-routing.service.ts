import { Injectable } from '@nestjs/common';
import { ArrayContains, ArrayOverlap, EntityManager, IsNull } from 'typeorm';
import { ApprovalUnroutedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { Metrics, workContext } from '@backbone/platform';
import { CatalogEntry } from '../catalog/catalog-entry.entity';
import { routeApproval, RoutingDecision } from '../catalog/route-approval';
import { StoredApproval, SupervisionTask, UnroutedApproval } from '../tasks/supervision-task.entity';
import { OpenTask, TaskLifecycle } from '../tasks/task-lifecycle.service';
import { EventOrigin, TaskRepository } from '../tasks/task.repository';

/**
 * A granted approval to route, from one event of a batch (its loop and the event that caused it); the
 * approval is the event's payload as the inbox validated it (ADR 0036).
 */
export interface DecidedRoute {
  approval: StoredApproval;
  correlationId: string;
  origin: EventOrigin;
}

/**
 * Routing approvals through the catalog, and the supervision vacuum (docs/domain.md §1): an approval is
 * routed to the department that must supervise it, or kept in sight as unrouted until an entry covers
 * it; a catalog change routes what was waiting. The task's own changes are the task's (SupervisionTask,
 * TaskLifecycle). Every method works in the caller's transaction.
 */
@Injectable()
export class ApprovalRouting {
  private readonly unroutedCounter;
  private readonly routedLaterCounter;

  constructor(
    private readonly outbox: Outbox,
    private readonly tasks: TaskRepository,
    private readonly lifecycle: TaskLifecycle,
    metrics: Metrics,
  ) {
    this.unroutedCounter = metrics.counter(
      'supervision_unrouted_approvals_total',
      'Approvals no catalog entry covers (supervision vacuum)',
      ['item_code'],
    );
    this.routedLaterCounter = metrics.counter(
      'supervision_vacuum_routed_total',
      'Approvals of the supervision vacuum routed once an entry covered them',
      ['item_code'],
    );
  }

  /** Entries that might cover an item (any region, any time): routeApproval picks the one that applies. */
  entriesFor(manager: EntityManager, itemCode: string): Promise<CatalogEntry[]> {
    return manager.find(CatalogEntry, { where: { approvalItemCodes: ArrayContains([itemCode]) } });
  }

  /** `entriesFor` of several items, in one query: item code → its entries. */
  private async entriesForMany(manager: EntityManager, itemCodes: string[]): Promise<(itemCode: string) => CatalogEntry[]> {
    const entries = await manager.find(CatalogEntry, { where: { approvalItemCodes: ArrayOverlap([...new Set(itemCodes)]) } });
    return (itemCode) => entries.filter((entry) => entry.approvalItemCodes.includes(itemCode));
  }

  /** Where the catalog as it stands routes an approval. */
  async route(manager: EntityManager, approval: StoredApproval): Promise<RoutingDecision> {
    return routeApproval(approval, await this.entriesFor(manager, approval.itemCode));
  }

  /** A granted approval arrives: one task, or one entry of the vacuum. Idempotent per approval. */
  async routeDecided(manager: EntityManager, approval: StoredApproval, correlationId: string): Promise<SupervisionTask | null> {
    const existing = await this.tasks.lockByApproval(manager, approval.approvalId);
    if (existing) return this.takeIn(manager, existing, approval);
    // Shared with other routings, exclusive against catalog changes: either this routing sees a new entry,
    // or the catalog change (which routes the vacuum) sees the vacuum row written here. Nothing falls between.
    await manager.query(`SELECT pg_advisory_xact_lock_shared(hashtext('catalog_entry'))`);
    const decision = await this.route(manager, approval);
    if (!decision.routed) {
      await this.recordVacuum(manager, approval, correlationId, decision.reason);
      return null;
    }
    return this.lifecycle.open(manager, approval, decision, correlationId, new Date(approval.decidedAt));
  }

  /**
   * Granted approvals of one batch, in order, with the effects of `routeDecided` one by one (ADR 0027):
   * which of them already have a task is asked once, the catalog read once, the new tasks opened
   * together (TaskLifecycle.openMany). An approval that has a task (or comes twice in the batch) and one
   * no entry covers take `routeDecided` afterwards, in order, each in its event's work context.
   */
  async routeDecidedMany(manager: EntityManager, requests: DecidedRoute[]): Promise<void> {
    if (requests.length === 0) return;
    const taken = await this.tasks.approvalsWithTask(
      manager,
      requests.map(({ approval }) => approval.approvalId),
    );
    const one: DecidedRoute[] = [];
    const opens: OpenTask[] = [];
    const fresh = requests.filter(({ approval }) => !taken.has(approval.approvalId));
    if (fresh.length > 0) {
      // As in routeDecided: shared with other routings, exclusive against catalog changes.
      await manager.query(`SELECT pg_advisory_xact_lock_shared(hashtext('catalog_entry'))`);
      const entriesOf = await this.entriesForMany(
        manager,
        fresh.map(({ approval }) => approval.itemCode),
      );
      for (const request of requests) {
        const { approval, correlationId, origin } = request;
        if (taken.has(approval.approvalId)) {
          one.push(request);
          continue;
        }
        taken.add(approval.approvalId);
        const decision = routeApproval(approval, entriesOf(approval.itemCode));
        // The approval is the decided event's, validated by the inbox (ADR 0036: its task's events are not validated again).
        if (decision.routed)
          opens.push({ approval, route: decision, correlationId, from: new Date(approval.decidedAt), origin, approvalValidated: true });
        else one.push(request);
      }
    } else one.push(...requests);
    await this.lifecycle.openMany(manager, opens);
    for (const { approval, correlationId, origin } of one)
      await workContext.run({ correlationId, eventId: origin.causationId }, () => this.routeDecided(manager, approval, correlationId));
  }

  /**
   * The same decision seen again (v1 and v2 may both be published while readers move): when this one says
   * more (delegation, entrustment) than the task was routed with, the task takes it in and follows the route.
   */
  private async takeIn(manager: EntityManager, task: SupervisionTask, approval: StoredApproval): Promise<SupervisionTask> {
    if (!task.takeIn(approval)) return task;
    const decision = await this.route(manager, approval);
    if (decision.routed && decision.department !== task.assignedDepartment && task.canBeReassigned()) {
      return this.lifecycle.reassign(manager, task, { department: decision.department, route: decision, by: 'routing' });
    }
    await this.tasks.save(manager, task);
    return task;
  }

  async recordVacuum(manager: EntityManager, approval: StoredApproval, correlationId: string, reason: string): Promise<void> {
    const open = await manager.findOne(UnroutedApproval, {
      where: { approvalId: approval.approvalId, routedAt: IsNull() },
      lock: { mode: 'pessimistic_write' },
    });
    if (open) {
      // Already in sight: keep the fuller approval and the latest reason, count and announce it once.
      open.approval = approval;
      open.reason = reason;
      await manager.save(open);
      return;
    }
    await manager.upsert(
      UnroutedApproval,
      {
        approvalId: approval.approvalId,
        correlationId,
        uscc: approval.uscc,
        itemCode: approval.itemCode,
        regionCode: approval.regionCode,
        approverDepartment: approval.approverDepartment,
        reason,
        approval,
        routedAt: null,
        taskId: null,
      },
      ['approvalId'],
    );
    this.unroutedCounter.inc({ item_code: approval.itemCode });
    await this.outbox.add(manager, ApprovalUnroutedV1, {
      subject: approval.uscc,
      correlationId,
      data: { approvalId: approval.approvalId, uscc: approval.uscc, itemCode: approval.itemCode, regionCode: approval.regionCode, reason },
    });
  }

  /**
   * A catalog entry was created or amended: route, in the same transaction, every waiting approval it now
   * covers (the vacuum) and every returned task whose new route names a department that has not returned it.
   */
  async routeWaiting(manager: EntityManager, entry: CatalogEntry): Promise<SupervisionTask[]> {
    const routed: SupervisionTask[] = [];
    for (const itemCode of entry.approvalItemCodes) {
      const entries = await this.entriesFor(manager, itemCode);
      const waiting = await manager.find(UnroutedApproval, {
        where: { itemCode, routedAt: IsNull() },
        order: { recordedAt: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      for (const vacuum of waiting) {
        if (!vacuum.approval) continue;
        // The gap is closed by the catalog as it stands now, even if the entry takes effect after the decision.
        const decision = routeApproval({ ...vacuum.approval, decidedAt: new Date().toISOString() }, entries);
        if (!decision.routed) continue;
        const task =
          (await this.tasks.findByApproval(manager, vacuum.approvalId)) ??
          (await this.lifecycle.open(manager, vacuum.approval, decision, vacuum.correlationId, new Date()));
        vacuum.routedAt = new Date();
        vacuum.taskId = task.id;
        await manager.save(vacuum);
        this.routedLaterCounter.inc({ item_code: itemCode });
        routed.push(task);
      }
      for (const task of await this.tasks.lockReturned(manager, itemCode)) {
        const decision = routeApproval(task.approval(), entries);
        if (!decision.routed || task.returnedBy(decision.department)) continue;
        routed.push(await this.lifecycle.reassign(manager, task, { department: decision.department, route: decision, by: 'routing' }));
      }
    }
    return routed;
  }
}
