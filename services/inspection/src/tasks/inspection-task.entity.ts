import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Stratum } from '../draws/canonical-pool';
import type { RatiosBp } from '../draws/draw';
import type { AppliedRiskWarning } from '../risk-warnings/warning-multipliers';
import type { TaskStatus } from './task-transitions';

/** One department's part in a task: its items and how many inspectors it sends to each drawn entity. */
export interface TaskTeam {
  department: string;
  itemCodes: string[];
  inspectorsPerEntity: number;
}

/** An item as it stood when the task was created (the version inspected). */
export interface TaskItem {
  department: string;
  code: string;
  version: number;
  name: string;
  kind: 'key' | 'general';
  minRatioBp: number;
  maxRatioBp: number;
}

/** Which entities of the target pool the task's pool takes (empty list: no restriction). */
export interface TaskFilters {
  regionPrefixes: string[];
  entityTypes: string[];
  industries: string[];
  licenceItemCodes: string[];
}

/** A spot-check task (抽查任务): single-department or joint (lead + participants, one visit for all items). */
@Entity('inspection_task')
// The tasks of a year, for its figures (ADR 0087).
@Index('inspection_task_created', ['createdAt'])
export class InspectionTask {
  @PrimaryColumn('uuid') id: string;
  @Column() reference: string;
  @Column('uuid', { name: 'plan_id', nullable: true }) planId: string | null;
  @Column() title: string;
  @Column({ name: 'lead_department' }) leadDepartment: string;
  @Column('text') status: TaskStatus;
  @Column('jsonb') teams: TaskTeam[];
  @Column('jsonb') items: TaskItem[];
  @Column('jsonb') filters: TaskFilters;
  @Column('jsonb') multipliers: Partial<Record<Stratum, number>>;
  @Column('int', { name: 'exclude_inspected_within_days', nullable: true }) excludeInspectedWithinDays: number | null;
  @Column({ name: 'publish_drawn_list' }) publishDrawnList: boolean;
  @Column('jsonb', { nullable: true }) ratios: RatiosBp | null;
  /** The risk warnings that raised the ratios when the pool was frozen (docs/domain.md §8). */
  @Column('jsonb', { name: 'risk_warnings', default: () => "'[]'" }) riskWarnings: AppliedRiskWarning[];
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('task_pool')
export class TaskPool {
  @PrimaryColumn('uuid', { name: 'task_id' }) taskId: string;
  @Column() canonical: string;
  @Column({ name: 'pool_hash' }) poolHash: string;
  @Column('int') size: number;
  @Column('jsonb', { name: 'draw_input' }) drawInput: PublishedDrawInput;
  @Column('timestamptz', { name: 'frozen_at' }) frozenAt: Date;
}

/** What the draw takes besides the pool and the seed, frozen and published with the pool. */
export interface PublishedDrawInput {
  ratiosBp: RatiosBp;
  teams: { department: string; inspectorsPerEntity: number }[];
  inspectors: { id: string; department: string }[];
  conflicts: { uscc: string; inspectorId: string }[];
  lastTeams: { uscc: string; inspectorIds: string[] }[];
}

@Entity('task_draw')
export class TaskDraw {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'task_id' }) taskId: string;
  @Column('int') round: number;
  @Column({ name: 'seed_commitment' }) seedCommitment: string;
  @Column('text', { nullable: true }) seed: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz', { name: 'committed_at' }) committedAt: Date;
  @Column('timestamptz', { name: 'drawn_at', nullable: true }) drawnAt: Date | null;
  @Column('text', { nullable: true }) digest: string | null;
  @Column('text', { nullable: true }) result: string | null;
  @Column('jsonb', { nullable: true }) strata: unknown;
}

/** One drawn entity's check: the inspectors sent, the deadline, and whether every department has its result. */
@Entity('inspection_check')
// The checks the sweep is still to remind, and to escalate (ADR 0087).
@Index('inspection_check_unreminded', ['deadline'], { where: "((status = 'pending'::text) AND (reminded_at IS NULL))" })
@Index('inspection_check_unescalated', ['deadline'], { where: "((status = 'pending'::text) AND (escalated_at IS NULL))" })
export class InspectionCheck {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'task_id' }) taskId: string;
  @Column('uuid', { name: 'draw_id' }) drawId: string;
  @Column() uscc: string;
  @Column('char') stratum: string;
  @Column('jsonb') inspectors: { department: string; inspectorIds: string[] }[];
  @Column() status: 'pending' | 'done' | 'superseded';
  @Column('timestamptz') deadline: Date;
  @Column('timestamptz', { name: 'remind_at' }) remindAt: Date;
  @Column('timestamptz', { name: 'reminded_at', nullable: true }) remindedAt: Date | null;
  @Column('timestamptz', { name: 'escalated_at', nullable: true }) escalatedAt: Date | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
}
