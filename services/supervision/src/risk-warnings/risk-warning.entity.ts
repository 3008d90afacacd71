import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import {
  HeldRiskWarning,
  RiskWarningEndReason,
  RiskWarningLevel,
  RiskWarningLiftedV1,
  RiskWarningRaisedV1,
  RiskWarningScopeV1,
} from '@backbone/contracts';
import { DomainError, ForbiddenError } from '@backbone/platform';
import { SupervisionError } from '../supervision.errors';
import type { TaskEvent } from '../tasks/supervision-task.entity';

export interface RaiseRiskWarning {
  id: string;
  reference: string;
  level: RiskWarningLevel;
  title: string;
  raisedBy: string;
  startsAt: Date;
  endsAt: Date;
  scope: RiskWarningScopeV1;
  concerns: string[];
  measures: string[];
  notifiedDepartments: string[];
  correlationId: string;
}

/**
 * A risk warning (风险预警, 000 三(二)3; docs/domain.md §8): raised with its level, period, scope, items
 * of concern and measures; ended once, lifted by its department or an operator, or expired at its end.
 */
@Entity('risk_warning')
@Unique('risk_warning_reference_key', ['reference'])
@Check('risk_warning_level_check', "(level = ANY (ARRAY['blue'::text, 'yellow'::text, 'orange'::text, 'red'::text]))")
@Check('risk_warning_end_reason_check', "(end_reason = ANY (ARRAY['lifted'::text, 'expired'::text]))")
@Check('risk_warning_check', '(ends_at > starts_at)')
@Index('risk_warning_open', ['endsAt'], { where: '(ended_at IS NULL)' })
export class RiskWarning {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'text' }) reference: string;
  @Column({ type: 'text' }) level: RiskWarningLevel;
  @Column({ type: 'text' }) title: string;
  @Column({ name: 'raised_by', type: 'text' }) raisedBy: string;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt: Date;
  @Column({ name: 'ends_at', type: 'timestamptz' }) endsAt: Date;
  @Column({ type: 'jsonb' }) scope: RiskWarningScopeV1;
  @Column({ type: 'jsonb' }) concerns: string[];
  @Column({ type: 'jsonb' }) measures: string[];
  @Column({ name: 'notified_departments', type: 'text', array: true }) notifiedDepartments: string[];
  @Column({ name: 'correlation_id', type: 'text' }) correlationId: string;
  @Column({ name: 'raised_at', type: 'timestamptz' }) raisedAt: Date;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;
  @Column({ name: 'end_reason', type: 'text', nullable: true }) endReason: RiskWarningEndReason | null;
  @Column({ name: 'ended_by', type: 'text', nullable: true }) endedBy: string | null;
  @Column({ name: 'end_note', type: 'text', nullable: true }) endNote: string | null;

  private pendingEvents?: TaskEvent[];

  /** A new warning: RiskWarningRaisedV1 tells the notified departments and the services that apply it. */
  static raise(input: RaiseRiskWarning, now = new Date()): RiskWarning {
    if (input.endsAt.getTime() <= input.startsAt.getTime()) {
      throw new DomainError(SupervisionError.RISK_WARNING_PERIOD, 'endsAt: must be after startsAt', 422);
    }
    if (input.endsAt.getTime() <= now.getTime()) {
      throw new DomainError(
        SupervisionError.RISK_WARNING_PERIOD,
        'endsAt: must be in the future (a warning that has ended is not raised)',
        422,
      );
    }
    const warning = Object.assign(new RiskWarning(), {
      ...input,
      raisedAt: now,
      endedAt: null,
      endReason: null,
      endedBy: null,
      endNote: null,
    });
    warning.addEvent(RiskWarningRaisedV1, {
      warningId: warning.id,
      reference: warning.reference,
      level: warning.level,
      title: warning.title,
      raisedBy: warning.raisedBy,
      startsAt: warning.startsAt.toISOString(),
      endsAt: warning.endsAt.toISOString(),
      scope: warning.scope,
      concerns: warning.concerns,
      measures: warning.measures,
      notifiedDepartments: warning.notifiedDepartments,
      raisedAt: now.toISOString(),
    });
    return warning;
  }

  /** Only the department that raised a warning, or an operator, lifts it. */
  assertMayLift(department: string, operator: boolean): void {
    if (!operator && department !== this.raisedBy) {
      throw new ForbiddenError(
        SupervisionError.NOT_WARNING_DEPARTMENT,
        `risk warning ${this.reference} was raised by ${this.raisedBy}; only it or an operator lifts it`,
      );
    }
  }

  /** Ends the warning once (lifted, or expired at its end): RiskWarningLiftedV1; normal rules again. */
  end(reason: RiskWarningEndReason, by: string, at: Date, note?: string): void {
    if (this.endedAt) {
      throw new DomainError(
        SupervisionError.RISK_WARNING_ENDED,
        `risk warning ${this.reference} ended (${this.endReason}) at ${this.endedAt.toISOString()}`,
        409,
      );
    }
    this.endedAt = at;
    this.endReason = reason;
    this.endedBy = by;
    this.endNote = note ?? null;
    this.addEvent(RiskWarningLiftedV1, {
      warningId: this.id,
      level: this.level,
      reason,
      liftedBy: by,
      ...(note ? { note } : {}),
      notifiedDepartments: this.notifiedDepartments,
      liftedAt: at.toISOString(),
    });
  }

  /** As the rules (riskWarningCovers, strongestRiskWarning) take it. */
  held(): HeldRiskWarning & { id: string } {
    return {
      id: this.id,
      warningId: this.id,
      level: this.level,
      scope: this.scope,
      startsAt: this.startsAt,
      endsAt: this.endsAt,
      endedAt: this.endedAt,
      raisedAt: this.raisedAt,
    };
  }

  pullEvents(): TaskEvent[] {
    const events = this.pendingEvents ?? [];
    this.pendingEvents = [];
    return events;
  }

  private addEvent<T extends object>(type: TaskEvent<T>['type'], data: T): void {
    (this.pendingEvents ??= []).push({ type, data });
  }
}

export function riskWarningView(warning: RiskWarning) {
  return {
    id: warning.id,
    reference: warning.reference,
    level: warning.level,
    title: warning.title,
    raisedBy: warning.raisedBy,
    startsAt: warning.startsAt.toISOString(),
    endsAt: warning.endsAt.toISOString(),
    scope: warning.scope,
    concerns: warning.concerns,
    measures: warning.measures,
    notifiedDepartments: warning.notifiedDepartments,
    raisedAt: warning.raisedAt.toISOString(),
    active: warning.endedAt === null && warning.startsAt.getTime() <= Date.now() && Date.now() < warning.endsAt.getTime(),
    endedAt: warning.endedAt?.toISOString() ?? null,
    endReason: warning.endReason,
    endedBy: warning.endedBy,
    endNote: warning.endNote,
  };
}
