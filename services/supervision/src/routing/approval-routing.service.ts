import { Injectable } from '@nestjs/common';
import { ArrayContains, EntityManager, IsNull } from 'typeorm';
import { ApprovalUnroutedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { Metrics } from '@backbone/platform';
import { CatalogEntry } from '../catalog/catalog-entry.entity';
import { routeApproval, RoutingDecision } from '../catalog/route-approval';
import { StoredApproval, SupervisionTask, UnroutedApproval } from '../tasks/supervision-task.entity';
import { TaskLifecycle } from '../tasks/task-lifecycle.service';
import { TaskRepository } from '../tasks/task.repository';

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
