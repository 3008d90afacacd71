import { randomUUID } from 'node:crypto';
import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import {
  ApprovalKind,
  EventClass,
  isoString,
  RoutingRule,
  TaskAssignedV1,
  TaskClaimedV1,
  TaskClaimReminderV1,
  TaskClosedV1,
  TaskEscalatedV1,
  TaskReturnedV1,
  TaskRiskWarningAppliedV1,
  TaskUpdatedV1,
} from '@backbone/contracts';
import { DomainError, ForbiddenError, workingDayDeadline } from '@backbone/platform';
import type { RoutingBasis, RoutingDecision } from '../catalog/route-approval';
import { SupervisionError } from '../supervision.errors';
import { assertTransition, canTransition, type TaskStatus } from './task-transitions';
import { CatalogEntry } from '../catalog/catalog-entry.entity';
import type { ClaimTightening } from '../risk-warnings/claim-risk-warnings';

export interface TaskReturn {
  department: string;
  reason: string;
  returnedAt: string;
}

/** A route the catalog found for an approval: the department, the rule, and the entry it comes from. */
export type TaskRoute = Extract<RoutingDecision, { routed: true }>;

/** Where a task goes when it is assigned again: by routing (with its route) or by an operator's hand. */
export interface Reassignment {
  department: string;
  /** The catalog's route; without one, the assignment is by hand (routing basis `manual`). */
  route?: TaskRoute;
  /** `routing`, or the operator department that assigns by hand. */
  by: string;
  note?: string;
  /** Working days to claim when there is no route (default 2). */
  claimDeadlineDays?: number;
  /** An active risk warning covering the task: fewer days to claim (docs/domain.md §8). */
  warning?: ClaimTightening;
}

/** An event a change of the task causes: published in the transaction that saves the change. */
export interface TaskEvent<T extends object = object> {
  readonly type: EventClass<T>;
  readonly data: T;
}

/** Default working days to claim a task assigned by hand. */
const DEFAULT_CLAIM_DAYS = 2;

/** A supervision task: one approval, handed to the department that must supervise it. */
@Entity('supervision_task')
@Check('supervision_task_status_check', "(status = ANY (ARRAY['assigned'::text, 'claimed'::text, 'returned'::text, 'closed'::text]))")
@Unique('supervision_task_approval_id_key', ['approvalId'])
@Index('supervision_task_open', ['assignedDepartment', 'claimDeadline'], { where: "(status = 'assigned'::text)" })
@Index('supervision_task_returned', ['itemCode'], { where: "(status = 'returned'::text)" })
@Index('supervision_task_uscc', ['uscc'])
@Index('supervision_task_created', ['createdAt', 'id'])
@Index('supervision_task_assigned_created', ['assignedDepartment', 'createdAt', 'id'])
@Index('supervision_task_approver_created', ['approverDepartment', 'createdAt', 'id'])
@Index('supervision_task_unescalated', ['claimDeadline', 'id'], { where: "((status = 'assigned'::text) AND (escalated_at IS NULL))" })
@Index('supervision_task_unreminded', ['claimDeadline', 'id'], {
  where: "((status = 'assigned'::text) AND (reminded_at IS NULL) AND (escalated_at IS NULL))",
})
@ForeignKey(() => CatalogEntry, ['catalogEntryId'], ['id'], { name: 'supervision_task_catalog_entry_id_fkey' })
export class SupervisionTask {
  @PrimaryColumn('uuid') id: string;
  /** One task per approval: a change of the approval updates it, never creates another. */
  @Column({ name: 'approval_id', type: 'uuid' }) approvalId: string;
  @Column({ name: 'approval_version', type: 'int' }) approvalVersion: number;
  @Column({ name: 'approval_kind', type: 'text', default: 'licence' }) approvalKind: ApprovalKind;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'item_code', type: 'text' }) itemCode: string;
  @Column({ name: 'region_code', type: 'text' }) regionCode: string;
  @Column({ name: 'approver_department', type: 'text' }) approverDepartment: string;
  @Column({ name: 'assigned_department', type: 'text' }) assignedDepartment: string;
  @Column({ name: 'routing_rule', type: 'text' }) routingRule: RoutingRule;
  /** Which rule of docs/domain.md §1 decided the department (finer than the published routing rule). */
  @Column({ name: 'routing_basis', type: 'text' }) routingBasis: RoutingBasis | 'manual';
  /** The catalog entry and version the task was routed under (none when an operator assigned it by hand). */
  @Column({ name: 'catalog_entry_id', type: 'uuid', nullable: true }) catalogEntryId: string | null;
  @Column({ name: 'catalog_version', type: 'int', nullable: true }) catalogVersion: number | null;
  @Column({ name: 'delegated_from_region', type: 'text', nullable: true }) delegatedFromRegion: string | null;
  @Column({ name: 'delegated_from_department', type: 'text', nullable: true }) delegatedFromDepartment: string | null;
  /** Entrusted approval (委托审批): the entrusting department and the agreement, explicit on the task. */
  @Column({ name: 'entrusting_department', type: 'text', nullable: true }) entrustingDepartment: string | null;
  @Column({ name: 'entrustment_agreement', type: 'text', nullable: true }) entrustmentAgreement: string | null;
  @Column({ type: 'text' }) status: TaskStatus;
  @Column({ name: 'assigned_at', type: 'timestamptz' }) assignedAt: Date;
  /** 'routing', or the operator department that assigned it by hand. */
  @Column({ name: 'assigned_by', type: 'text' }) assignedBy: string;
  /** Why an operator assigned it by hand. */
  @Column({ name: 'assignment_note', type: 'text', nullable: true }) assignmentNote: string | null;
  @Column({ name: 'claim_deadline', type: 'timestamptz' }) claimDeadline: Date;
  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true }) remindedAt: Date | null;
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true }) escalatedAt: Date | null;
  @Column({ name: 'claimed_handler', type: 'text', nullable: true }) claimedHandler: string | null;
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true }) claimedAt: Date | null;
  @Column({ type: 'jsonb', default: '[]' }) returns: TaskReturn[];
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ name: 'close_reason', type: 'text', nullable: true }) closeReason: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;

  /** Events caused since the last save (not a column): the repository publishes them with the save. */
  private pendingEvents?: TaskEvent[];

  /**
   * A routed approval becomes a task for the department the route names, with a claim deadline counted
   * in working days from `from` (the decision, or now for an approval leaving the vacuum): TaskAssignedV1.
   * Under an active risk warning covering it, the warning's (fewer) days: TaskRiskWarningAppliedV1 too.
   */
  static open(
    approval: StoredApproval,
    route: TaskRoute,
    correlationId: string,
    from: Date,
    now = new Date(),
    warning?: ClaimTightening,
  ): SupervisionTask {
    const task = Object.assign(new SupervisionTask(), {
      id: randomUUID(),
      approvalId: approval.approvalId,
      approvalVersion: approval.version,
      approvalKind: approval.kind,
      correlationId,
      uscc: approval.uscc,
      itemCode: approval.itemCode,
      regionCode: approval.regionCode,
      approverDepartment: approval.approverDepartment,
      assignedDepartment: route.department,
      routingRule: route.rule,
      routingBasis: route.basis,
      catalogEntryId: route.entry.id,
      catalogVersion: route.entry.version,
      delegatedFromRegion: approval.delegation?.fromRegionCode ?? null,
      delegatedFromDepartment: approval.delegation?.fromDepartment ?? null,
      entrustingDepartment: approval.entrustment?.entrustingDepartment ?? null,
      entrustmentAgreement: approval.entrustment?.agreement ?? null,
      status: 'assigned',
      assignedAt: now,
      assignedBy: 'routing',
      assignmentNote: null,
      claimDeadline: workingDayDeadline(from, warning?.claimDays ?? route.entry.claimDeadlineDays),
      remindedAt: null,
      escalatedAt: null,
      claimedHandler: null,
      claimedAt: null,
      returns: [] as TaskReturn[],
      closedAt: null,
      closeReason: null,
      // Given, not left to the column's default: a task that names every column is inserted without
      // RETURNING, so a drain does not read back and parse a timestamp per task (ADR 0101).
      createdAt: now,
      updatedAt: now,
    });
    task.addAssigned();
    if (warning) task.addWarningApplied(warning);
    return task;
  }

  /** Working days to claim an assignment gives, before any risk warning. */
  static claimDaysOf(to: Pick<Reassignment, 'route' | 'claimDeadlineDays'>): number {
    return to.route?.entry.claimDeadlineDays ?? to.claimDeadlineDays ?? DEFAULT_CLAIM_DAYS;
  }

  /** Only the department a task is assigned to acts on it (claim, return, inspection). */
  assertAssignedTo(department: string): void {
    if (this.assignedDepartment !== department) {
      throw new ForbiddenError(
        SupervisionError.NOT_ASSIGNED_DEPARTMENT,
        `task ${this.id} is assigned to ${this.assignedDepartment}, not to ${department}`,
      );
    }
  }

  /** The assigned department acknowledges the task, once, naming its handler (双反馈). */
  claimBy(department: string, handler: string, at: Date): void {
    this.assertAssignedTo(department);
    if (this.status === 'claimed') {
      throw new DomainError(
        SupervisionError.TASK_ALREADY_CLAIMED,
        `task ${this.id} was claimed by ${this.claimedHandler} at ${this.claimedAt?.toISOString()}`,
        409,
      );
    }
    this.claim(handler, at);
  }

  /** assigned → claimed: TaskClaimedV1 (also the automatic claim of an auto-claim department). */
  claim(handler: string, at: Date): void {
    this.moveTo('claimed');
    this.claimedHandler = handler;
    this.claimedAt = at;
    this.updatedAt = at;
    this.addEvent(TaskClaimedV1, {
      taskId: this.id,
      approvalId: this.approvalId,
      uscc: this.uscc,
      department: this.assignedDepartment,
      handler,
      claimedAt: isoString(at),
    });
  }

  /** A department that is not responsible gives the task back with its reason: assigned → returned, TaskReturnedV1. */
  returnBy(department: string, reason: string, at: Date): void {
    this.assertAssignedTo(department);
    this.moveTo('returned');
    this.returns = [...this.returns, { department, reason, returnedAt: at.toISOString() }];
    this.updatedAt = at;
    this.addEvent(TaskReturnedV1, {
      taskId: this.id,
      approvalId: this.approvalId,
      uscc: this.uscc,
      department,
      reason,
      returnedAt: isoString(at),
    });
  }

  /** Whether the task may still move to another department (not closed). */
  canBeReassigned(): boolean {
    return canTransition(this.status, 'assigned');
  }

  /** Whether a department has already returned this task (routing does not send it back there). */
  returnedBy(department: string): boolean {
    return this.returns.some((r) => r.department === department);
  }

  /**
   * The task moves to a department (re-routing after a return or a change of the approval, or an operator's
   * assignment by hand): → assigned, a fresh claim deadline counted from now, reminders and escalations
   * reset, TaskAssignedV1.
   */
  reassign(to: Reassignment, now = new Date()): void {
    this.moveTo('assigned');
    this.assignedDepartment = to.department;
    this.assignedAt = now;
    this.assignedBy = to.by;
    this.assignmentNote = to.note ?? null;
    if (to.route) {
      this.routingRule = to.route.rule;
      this.routingBasis = to.route.basis;
      this.catalogEntryId = to.route.entry.id;
      this.catalogVersion = to.route.entry.version;
    } else {
      this.routingBasis = 'manual';
    }
    this.claimDeadline = workingDayDeadline(now, to.warning?.claimDays ?? SupervisionTask.claimDaysOf(to));
    this.remindedAt = null;
    this.escalatedAt = null;
    this.claimedHandler = null;
    this.claimedAt = null;
    this.updatedAt = now;
    this.addAssigned();
    if (to.warning) this.addWarningApplied(to.warning);
  }

  /** Less than one working day left to claim: marked reminded, once (TaskClaimReminderV1). Not a state. */
  remind(asOf: Date, now = new Date()): void {
    this.assertAwaitingClaim('reminded');
    this.remindedAt = asOf;
    this.updatedAt = now;
    this.addEvent(TaskClaimReminderV1, {
      taskId: this.id,
      approvalId: this.approvalId,
      uscc: this.uscc,
      assignedDepartment: this.assignedDepartment,
      claimDeadline: isoString(this.claimDeadline),
      remindedAt: isoString(asOf),
    });
  }

  /** Unclaimed past its deadline: marked escalated, once (TaskEscalatedV1); both sides see it. Not a state. */
  escalate(asOf: Date, now = new Date()): void {
    this.assertAwaitingClaim('escalated');
    this.escalatedAt = asOf;
    this.updatedAt = now;
    this.addEvent(TaskEscalatedV1, {
      taskId: this.id,
      approvalId: this.approvalId,
      uscc: this.uscc,
      assignedDepartment: this.assignedDepartment,
      claimDeadline: isoString(this.claimDeadline),
      escalatedAt: isoString(asOf),
    });
  }

  /** The approval changed: the task takes in its new version and kind (no event of its own). */
  followApproval(version: number, kind: ApprovalKind, at: Date): void {
    this.approvalVersion = version;
    this.approvalKind = kind;
    this.updatedAt = at;
  }

  /** → closed (the approval was cancelled and is no longer supervised): TaskClosedV1. */
  close(reason: string, at: Date): void {
    this.moveTo('closed');
    this.closedAt = at;
    this.closeReason = reason;
    this.addEvent(TaskClosedV1, {
      taskId: this.id,
      approvalId: this.approvalId,
      uscc: this.uscc,
      department: this.assignedDepartment,
      reason,
      closedAt: isoString(at),
    });
  }

  /** The task followed a change of its approval (and may have moved): TaskUpdatedV1 tells the approver. */
  recordUpdate(note: string, at: Date): void {
    this.addEvent(TaskUpdatedV1, {
      taskId: this.id,
      approvalId: this.approvalId,
      uscc: this.uscc,
      approvalVersion: this.approvalVersion,
      assignedDepartment: this.assignedDepartment,
      change: note.slice(0, 500),
      updatedAt: isoString(at),
    });
  }

  /**
   * The same decision seen again with more to say (delegation, entrustment, when v1 and v2 are both
   * published): the task takes it in. Returns whether it did.
   */
  takeIn(approval: StoredApproval, at = new Date()): boolean {
    const adds = (approval.delegation && !this.delegatedFromRegion) || (approval.entrustment && !this.entrustingDepartment);
    if (!adds || approval.version !== this.approvalVersion || this.routingBasis === 'manual') return false;
    this.delegatedFromRegion = approval.delegation?.fromRegionCode ?? this.delegatedFromRegion;
    this.delegatedFromDepartment = approval.delegation?.fromDepartment ?? this.delegatedFromDepartment;
    this.entrustingDepartment = approval.entrustment?.entrustingDepartment ?? this.entrustingDepartment;
    this.entrustmentAgreement = approval.entrustment?.agreement ?? this.entrustmentAgreement;
    this.updatedAt = at;
    return true;
  }

  /** The approval this task stands for, as routing needs it. */
  approval(): StoredApproval {
    return {
      approvalId: this.approvalId,
      version: this.approvalVersion,
      uscc: this.uscc,
      entityName: '',
      itemCode: this.itemCode,
      regionCode: this.regionCode,
      approverDepartment: this.approverDepartment,
      kind: this.approvalKind,
      decidedAt: new Date().toISOString(),
      cancelledStillSupervised: this.routingBasis === 'cancelled_still_supervised',
      ...(this.delegatedFromRegion && this.delegatedFromDepartment
        ? { delegation: { fromRegionCode: this.delegatedFromRegion, fromDepartment: this.delegatedFromDepartment } }
        : {}),
      ...(this.entrustingDepartment
        ? { entrustment: { entrustingDepartment: this.entrustingDepartment, agreement: this.entrustmentAgreement ?? '' } }
        : {}),
    };
  }

  /** The events caused since the last call, in the order they were caused; the list is emptied. */
  pullEvents(): TaskEvent[] {
    const events = this.pendingEvents ?? [];
    this.pendingEvents = [];
    return events;
  }

  private moveTo(to: TaskStatus): void {
    assertTransition(this.id, this.status, to);
    this.status = to;
  }

  private assertAwaitingClaim(mark: string): void {
    if (this.status !== 'assigned') {
      throw new DomainError(
        SupervisionError.ILLEGAL_TASK_TRANSITION,
        `task ${this.id} is ${this.status}; only an assigned task is ${mark}`,
        409,
        { from: this.status, mark },
      );
    }
  }

  private addAssigned(): void {
    this.addEvent(TaskAssignedV1, {
      taskId: this.id,
      approvalId: this.approvalId,
      uscc: this.uscc,
      itemCode: this.itemCode,
      assignedDepartment: this.assignedDepartment,
      routingRule: this.routingRule,
      claimDeadline: isoString(this.claimDeadline),
    });
  }

  private addWarningApplied(warning: ClaimTightening): void {
    this.addEvent(TaskRiskWarningAppliedV1, {
      taskId: this.id,
      approvalId: this.approvalId,
      uscc: this.uscc,
      warningId: warning.warningId,
      level: warning.level,
      assignedDepartment: this.assignedDepartment,
      normalClaimDays: warning.normalDays,
      claimDays: warning.claimDays,
      claimDeadline: isoString(this.claimDeadline),
    });
  }

  /**
   * Every task event names the task, its approval and the entity (taskId, approvalId, uscc) first. Each
   * event spells them out rather than spreading a shared object: under Node 20's V8 a literal that spreads
   * an object and then defines further properties takes a slow path for each of them, about 1 µs a
   * property, several µs an event, in a drain that opens a task per event (ADR 0103).
   */
  private addEvent<T extends object>(type: EventClass<T>, data: T): void {
    (this.pendingEvents ??= []).push({ type, data });
  }
}

/** The approval as supervision keeps it while it waits to be routed (both decided versions fit). */
export interface StoredApproval {
  approvalId: string;
  version: number;
  uscc: string;
  entityName: string;
  itemCode: string;
  regionCode: string;
  approverDepartment: string;
  kind: ApprovalKind;
  decidedAt: string;
  delegation?: { fromRegionCode: string; fromDepartment: string };
  entrustment?: { entrustingDepartment: string; agreement: string };
  /** Set when a cancelled approval stays under supervision. */
  cancelledStillSupervised?: boolean;
}

/** An approval no catalog entry covers: a supervision vacuum, kept in sight until it is routed. */
@Entity('unrouted_approval')
@Index('unrouted_approval_recorded', ['recordedAt', 'approvalId'])
@Index('unrouted_approval_open', ['recordedAt', 'approvalId'], { where: '(routed_at IS NULL)' })
export class UnroutedApproval {
  @PrimaryColumn({ name: 'approval_id', type: 'uuid' }) approvalId: string;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'item_code', type: 'text' }) itemCode: string;
  @Column({ name: 'region_code', type: 'text' }) regionCode: string;
  @Column({ name: 'approver_department', type: 'text' }) approverDepartment: string;
  @Column({ type: 'text' }) reason: string;
  @Column({ type: 'jsonb', nullable: true }) approval: StoredApproval | null;
  @Column({ name: 'routed_at', type: 'timestamptz', nullable: true }) routedAt: Date | null;
  @Column({ name: 'task_id', type: 'uuid', nullable: true }) taskId: string | null;
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' }) recordedAt: Date;
}

/** A decided approval as supervision saw it: what reconciliation compares tasks with. */
@Entity('approval_seen')
// (decided_at) INCLUDE (approval_id, outcome), created by its migration: TypeORM cannot describe INCLUDE (ADR 0086)
@Index('approval_seen_decided_covering', { synchronize: false })
@Index('approval_seen_entity', ['uscc', 'itemCode'])
export class ApprovalSeen {
  @PrimaryColumn({ name: 'approval_id', type: 'uuid' }) approvalId: string;
  @Column({ type: 'int' }) version: number;
  @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'item_code', type: 'text' }) itemCode: string;
  @Column({ name: 'region_code', type: 'text' }) regionCode: string;
  @Column({ type: 'text' }) kind: ApprovalKind;
  @Column({ name: 'approver_department', type: 'text' }) approverDepartment: string;
  @Column({ type: 'text' }) outcome: string;
  @Column({ name: 'decided_at', type: 'timestamptz' }) decidedAt: Date;
  @CreateDateColumn({ name: 'seen_at', type: 'timestamptz' }) seenAt: Date;
}
