import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { RoutingRule } from '@backbone/contracts';

export type TaskStatus = 'assigned' | 'claimed';

/** A supervision task: one approval, handed to the department that must supervise it. */
@Entity('supervision_task')
export class SupervisionTask {
  @PrimaryColumn('uuid') id: string;
  @Index({ unique: true }) @Column({ name: 'approval_id', type: 'uuid' }) approvalId: string;
  @Column({ name: 'approval_version', type: 'int' }) approvalVersion: number;
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Index() @Column({ type: 'text' }) uscc: string;
  @Column({ name: 'item_code', type: 'text' }) itemCode: string;
  @Column({ name: 'region_code', type: 'text' }) regionCode: string;
  @Column({ name: 'approver_department', type: 'text' }) approverDepartment: string;
  @Column({ name: 'assigned_department', type: 'text' }) assignedDepartment: string;
  @Column({ name: 'routing_rule', type: 'text' }) routingRule: RoutingRule;
  @Column({ name: 'catalog_entry_id', type: 'uuid' }) catalogEntryId: string;
  @Column({ name: 'catalog_version', type: 'int' }) catalogVersion: number;
  @Column({ type: 'text' }) status: TaskStatus;
  @Column({ name: 'claim_deadline', type: 'timestamptz' }) claimDeadline: Date;
  @Column({ name: 'claimed_handler', type: 'text', nullable: true }) claimedHandler: string | null;
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true }) claimedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
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
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' }) recordedAt: Date;
}
