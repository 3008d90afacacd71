import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import type { ApprovalKind, RoutingRule } from '@backbone/contracts';
import type { RoutingBasis } from '../catalog/route-approval';
import type { TaskStatus } from './task-transitions';
import { CatalogEntry } from '../catalog/catalog-entry.entity';

export interface TaskReturn {
  department: string;
  reason: string;
  returnedAt: string;
}

/** A supervision task: one approval, handed to the department that must supervise it. */
@Entity('supervision_task')
@Check('supervision_task_status_check', "(status = ANY (ARRAY['assigned'::text, 'claimed'::text, 'returned'::text, 'closed'::text]))")
@Unique('supervision_task_approval_id_key', ['approvalId'])
@Index('supervision_task_open', ['assignedDepartment', 'claimDeadline'], { where: "(status = 'assigned'::text)" })
@Index('supervision_task_status', ['status', 'claimDeadline'])
@Index('supervision_task_uscc', ['uscc'])
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
@Index('approval_seen_decided', ['decidedAt'])
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
