import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ArrayContains, EntityManager, IsNull } from 'typeorm';
import { ApprovalUnroutedV1, TaskAssignedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { Metrics } from '@backbone/platform';
import { workingDayDeadline } from '@backbone/platform';
import { CatalogEntry } from '../../catalog/catalog-entry.entity';
import { routeApproval, RoutingDecision } from '../../catalog/route-approval';
import { CommitmentVerification } from '../../commitments/commitment-verification.entity';
import { SupervisionConfig } from '../../supervision.config';
import { ClaimTaskService } from '../claim-task/claim-task.service';
import { ApprovalSeen, StoredApproval, SupervisionTask, UnroutedApproval } from '../supervision-task.entity';
import { assertTransition, canTransition } from '../task-transitions';

type Routed = Extract<RoutingDecision, { routed: true }>;

/**
 * Routing an approval to the department that must supervise it, and everything that comes with it:
 * the claim deadline in working days, the TaskAssignedV1 push, the commitment verification of a
 * commitment-based approval, and the supervision vacuum when no entry covers it. Every method works in
 * the caller's transaction (an inbox handler's or a REST call's).
 */
@Injectable()
export class AssignTaskService {
  private readonly autoClaim: Set<string>;
  private readonly unroutedCounter;
  private readonly routedLaterCounter;

  constructor(
    private readonly outbox: Outbox,
    private readonly claims: ClaimTaskService,
    @Inject(SupervisionConfig) config: SupervisionConfig,
    metrics: Metrics,
  ) {
    this.autoClaim = new Set(config.AUTO_CLAIM_DEPARTMENTS.split(',').filter(Boolean));
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

  /** A granted approval arrives: one task, or one entry of the vacuum. Idempotent per approval. */
  async routeDecided(manager: EntityManager, approval: StoredApproval, correlationId: string): Promise<SupervisionTask | null> {
    const existing = await manager.findOne(SupervisionTask, {
      where: { approvalId: approval.approvalId },
      lock: { mode: 'pessimistic_write' },
    });
    if (existing) return this.enrich(manager, existing, approval);
    // Shared with other routings, exclusive against catalog changes: either this routing sees a new entry,
    // or the catalog change (which routes the vacuum) sees the vacuum row written here. Nothing falls between.
    await manager.query(`SELECT pg_advisory_xact_lock_shared(hashtext('catalog_entry'))`);
    const decision = routeApproval(approval, await this.entriesFor(manager, approval.itemCode));
    if (!decision.routed) {
      await this.recordVacuum(manager, approval, correlationId, decision.reason);
      return null;
    }
    return this.createTask(manager, approval, decision, correlationId, new Date(approval.decidedAt));
  }

  /**
   * The same decision seen again (v1 and v2 may both be published while readers move): when this one says
   * more (delegation, entrustment) than the task was routed with, the task takes it in and follows the route.
   */
  private async enrich(manager: EntityManager, task: SupervisionTask, approval: StoredApproval): Promise<SupervisionTask> {
    const adds = (approval.delegation && !task.delegatedFromRegion) || (approval.entrustment && !task.entrustingDepartment);
    if (!adds || approval.version !== task.approvalVersion || task.routingBasis === 'manual') return task;
    task.delegatedFromRegion = approval.delegation?.fromRegionCode ?? task.delegatedFromRegion;
    task.delegatedFromDepartment = approval.delegation?.fromDepartment ?? task.delegatedFromDepartment;
    task.entrustingDepartment = approval.entrustment?.entrustingDepartment ?? task.entrustingDepartment;
    task.entrustmentAgreement = approval.entrustment?.agreement ?? task.entrustmentAgreement;
    task.updatedAt = new Date();
    const decision = routeApproval(approval, await this.entriesFor(manager, approval.itemCode));
    if (decision.routed && decision.department !== task.assignedDepartment && canTransition(task.status, 'assigned')) {
      return this.reassign(manager, task, { department: decision.department, decision, by: 'routing' });
    }
    await manager.save(task);
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

  /** Creates the task of a routed approval, with its deadline, and pushes it. */
  async createTask(
    manager: EntityManager,
    approval: StoredApproval,
    decision: Routed,
    correlationId: string,
    from: Date,
  ): Promise<SupervisionTask> {
    const now = new Date();
    const task = manager.create(SupervisionTask, {
      id: randomUUID(),
      approvalId: approval.approvalId,
      approvalVersion: approval.version,
      approvalKind: approval.kind,
      correlationId,
      uscc: approval.uscc,
      itemCode: approval.itemCode,
      regionCode: approval.regionCode,
      approverDepartment: approval.approverDepartment,
      assignedDepartment: decision.department,
      routingRule: decision.rule,
      routingBasis: decision.basis,
      catalogEntryId: decision.entry.id,
      catalogVersion: decision.entry.version,
      delegatedFromRegion: approval.delegation?.fromRegionCode ?? null,
      delegatedFromDepartment: approval.delegation?.fromDepartment ?? null,
      entrustingDepartment: approval.entrustment?.entrustingDepartment ?? null,
      entrustmentAgreement: approval.entrustment?.agreement ?? null,
      status: 'assigned',
      assignedAt: now,
      assignedBy: 'routing',
      assignmentNote: null,
      claimDeadline: workingDayDeadline(from, decision.entry.claimDeadlineDays),
      remindedAt: null,
      escalatedAt: null,
      claimedHandler: null,
      claimedAt: null,
      returns: [],
      closedAt: null,
      closeReason: null,
      updatedAt: now,
    });
    await manager.insert(SupervisionTask, task);
    await this.pushAssigned(manager, task);
    if (approval.kind === 'commitment') await this.scheduleVerification(manager, task, decision.entry.verificationDeadlineDays, from);
    if (this.autoClaim.has(task.assignedDepartment)) await this.claims.applyClaim(manager, task, 'auto-claim', now);
    return task;
  }

  /**
   * Moves an existing task to a department (re-routing after a return or a change of the approval, or an
   * operator's assignment by hand): a fresh claim deadline counted from now, reminders and escalations reset.
   */
  async reassign(
    manager: EntityManager,
    task: SupervisionTask,
    to: { department: string; decision?: Routed; by: string; note?: string; claimDeadlineDays?: number },
  ): Promise<SupervisionTask> {
    assertTransition(task.id, task.status, 'assigned');
    const now = new Date();
    task.status = 'assigned';
    task.assignedDepartment = to.department;
    task.assignedAt = now;
    task.assignedBy = to.by;
    task.assignmentNote = to.note ?? null;
    if (to.decision) {
      task.routingRule = to.decision.rule;
      task.routingBasis = to.decision.basis;
      task.catalogEntryId = to.decision.entry.id;
      task.catalogVersion = to.decision.entry.version;
    } else {
      task.routingBasis = 'manual';
    }
    task.claimDeadline = workingDayDeadline(now, to.decision?.entry.claimDeadlineDays ?? to.claimDeadlineDays ?? 2);
    task.remindedAt = null;
    task.escalatedAt = null;
    task.claimedHandler = null;
    task.claimedAt = null;
    task.updatedAt = now;
    await manager.save(task);
    await this.pushAssigned(manager, task);
    if (this.autoClaim.has(task.assignedDepartment)) await this.claims.applyClaim(manager, task, 'auto-claim', now);
    return task;
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
          (await manager.findOneBy(SupervisionTask, { approvalId: vacuum.approvalId })) ??
          (await this.createTask(manager, vacuum.approval, decision, vacuum.correlationId, new Date()));
        vacuum.routedAt = new Date();
        vacuum.taskId = task.id;
        await manager.save(vacuum);
        this.routedLaterCounter.inc({ item_code: itemCode });
        routed.push(task);
      }
      const returned = await manager.find(SupervisionTask, {
        where: { itemCode, status: 'returned' },
        lock: { mode: 'pessimistic_write' },
      });
      for (const task of returned) {
        const decision = routeApproval(this.approvalOfTask(task), entries);
        if (!decision.routed || task.returns.some((r) => r.department === decision.department)) continue;
        routed.push(await this.reassign(manager, task, { department: decision.department, decision, by: 'routing' }));
      }
    }
    return routed;
  }

  /** The approval a task stands for, as routing needs it. */
  approvalOfTask(task: SupervisionTask): StoredApproval {
    return {
      approvalId: task.approvalId,
      version: task.approvalVersion,
      uscc: task.uscc,
      entityName: '',
      itemCode: task.itemCode,
      regionCode: task.regionCode,
      approverDepartment: task.approverDepartment,
      kind: task.approvalKind,
      decidedAt: new Date().toISOString(),
      cancelledStillSupervised: task.routingBasis === 'cancelled_still_supervised',
      ...(task.delegatedFromRegion && task.delegatedFromDepartment
        ? { delegation: { fromRegionCode: task.delegatedFromRegion, fromDepartment: task.delegatedFromDepartment } }
        : {}),
      ...(task.entrustingDepartment
        ? { entrustment: { entrustingDepartment: task.entrustingDepartment, agreement: task.entrustmentAgreement ?? '' } }
        : {}),
    };
  }

  /** Records that a decided approval was seen (reconciliation counts granted ones). */
  async recordSeen(manager: EntityManager, approval: StoredApproval, outcome: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ApprovalSeen)
      .values({
        approvalId: approval.approvalId,
        version: approval.version,
        uscc: approval.uscc,
        itemCode: approval.itemCode,
        regionCode: approval.regionCode,
        kind: approval.kind,
        approverDepartment: approval.approverDepartment,
        outcome,
        decidedAt: new Date(approval.decidedAt),
      })
      .orIgnore()
      .execute();
  }

  async scheduleVerification(manager: EntityManager, task: SupervisionTask, workingDays: number, from: Date): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(CommitmentVerification)
      .values({
        id: randomUUID(),
        approvalId: task.approvalId,
        taskId: task.id,
        correlationId: task.correlationId,
        uscc: task.uscc,
        itemCode: task.itemCode,
        dueAt: workingDayDeadline(from, workingDays),
      })
      .orIgnore()
      .execute();
  }

  private async pushAssigned(manager: EntityManager, task: SupervisionTask): Promise<void> {
    await this.outbox.add(manager, TaskAssignedV1, {
      subject: task.uscc,
      correlationId: task.correlationId,
      data: {
        taskId: task.id,
        approvalId: task.approvalId,
        uscc: task.uscc,
        itemCode: task.itemCode,
        assignedDepartment: task.assignedDepartment,
        routingRule: task.routingRule,
        claimDeadline: task.claimDeadline.toISOString(),
      },
    });
  }
}
