import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RiskWarningLevel, RiskWarningTarget } from '@backbone/contracts';
import { SupervisionConfig } from '../supervision.config';
import type { SupervisionTask } from '../tasks/supervision-task.entity';
import type { RiskWarning } from './risk-warning.entity';
import { RiskWarningRepository } from './risk-warning.repository';
import { claimDaysUnderWarning } from './risk-warning-rules';

/** What an active risk warning does to a new task's claim deadline (docs/domain.md §8). */
export interface ClaimTightening {
  warningId: string;
  level: RiskWarningLevel;
  /** The days the catalog (or the assignment) gives, and the days the warning's level allows. */
  normalDays: number;
  claimDays: number;
}

/**
 * The port through which the task lifecycle asks for the risk warning that covers a new task, and records
 * that it applied. Unit specs run without one (no warnings).
 */
export abstract class ClaimRiskWarnings {
  abstract tighteningFor(manager: EntityManager, target: RiskWarningTarget, normalDays: number, at: Date): Promise<ClaimTightening | null>;
  /** `tighteningFor` of many new tasks at once (in order); implementations may answer with one query. */
  async tighteningsFor(
    manager: EntityManager,
    requests: Array<{ target: RiskWarningTarget; normalDays: number }>,
    at: Date,
  ): Promise<Array<ClaimTightening | null>> {
    const tightenings: Array<ClaimTightening | null> = [];
    for (const { target, normalDays } of requests) tightenings.push(await this.tighteningFor(manager, target, normalDays, at));
    return tightenings;
  }
  abstract recordApplied(manager: EntityManager, task: SupervisionTask, tightening: ClaimTightening, at: Date): Promise<void>;
}

@Injectable()
export class StoredClaimRiskWarnings extends ClaimRiskWarnings {
  private readonly caps: Record<RiskWarningLevel, number>;

  constructor(
    private readonly warnings: RiskWarningRepository,
    @Inject(SupervisionConfig) config: SupervisionConfig,
  ) {
    super();
    this.caps = config.riskWarningClaimDays();
  }

  async tighteningFor(manager: EntityManager, target: RiskWarningTarget, normalDays: number, at: Date): Promise<ClaimTightening | null> {
    return this.tightening(await this.warnings.strongestFor(manager, target, at), normalDays);
  }

  /** The warnings active at `at` are read once for all the requests (one query, however many tasks). */
  override async tighteningsFor(
    manager: EntityManager,
    requests: Array<{ target: RiskWarningTarget; normalDays: number }>,
    at: Date,
  ): Promise<Array<ClaimTightening | null>> {
    const strongest = await this.warnings.strongestForMany(
      manager,
      requests.map(({ target }) => target),
      at,
    );
    return requests.map(({ normalDays }, index) => this.tightening(strongest[index], normalDays));
  }

  private tightening(warning: RiskWarning | null, normalDays: number): ClaimTightening | null {
    if (!warning) return null;
    return {
      warningId: warning.id,
      level: warning.level,
      normalDays,
      claimDays: claimDaysUnderWarning(normalDays, warning.level, this.caps),
    };
  }

  async recordApplied(manager: EntityManager, task: SupervisionTask, tightening: ClaimTightening, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO task_risk_warning (task_id, warning_id, level, assigned_department, normal_claim_days, claim_days, claim_deadline, applied_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        task.id,
        tightening.warningId,
        tightening.level,
        task.assignedDepartment,
        tightening.normalDays,
        tightening.claimDays,
        task.claimDeadline,
        at,
      ],
    );
  }
}
