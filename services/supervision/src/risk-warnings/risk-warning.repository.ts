import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull, LessThanOrEqual, MoreThan } from 'typeorm';
import { riskWarningSubject, strongestRiskWarning, RiskWarningTarget } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { RiskWarning } from './risk-warning.entity';

/** Loads and stores risk warnings; storing publishes the events a warning's change caused, keyed by the warning. */
@Injectable()
export class RiskWarningRepository {
  constructor(private readonly outbox: Outbox) {}

  lock(manager: EntityManager, id: string): Promise<RiskWarning | null> {
    return manager.findOne(RiskWarning, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Warnings past their end and not yet ended, locked (another sweep's rows are skipped). */
  lockExpired(manager: EntityManager, asOf: Date, limit: number): Promise<RiskWarning[]> {
    return manager.find(RiskWarning, {
      where: { endedAt: IsNull(), endsAt: LessThanOrEqual(asOf) },
      order: { endsAt: 'ASC', id: 'ASC' },
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
      take: limit,
    });
  }

  /** The most serious warning active at `at` that covers the target, or null. */
  async strongestFor(manager: EntityManager, target: RiskWarningTarget, at: Date): Promise<RiskWarning | null> {
    return (await this.strongestForMany(manager, [target], at))[0];
  }

  /** `strongestFor` of each target, the active warnings read once. */
  async strongestForMany(manager: EntityManager, targets: RiskWarningTarget[], at: Date): Promise<Array<RiskWarning | null>> {
    if (targets.length === 0) return [];
    const open = await manager.find(RiskWarning, { where: { endedAt: IsNull(), endsAt: MoreThan(at), startsAt: LessThanOrEqual(at) } });
    if (open.length === 0) return targets.map(() => null);
    const held = open.map((warning) => ({ ...warning.held(), warning }));
    return targets.map((target) => strongestRiskWarning(held, target, at)?.warning ?? null);
  }

  async insert(manager: EntityManager, warning: RiskWarning): Promise<void> {
    await manager.insert(RiskWarning, warning);
    await this.publish(manager, warning);
  }

  async save(manager: EntityManager, warning: RiskWarning): Promise<void> {
    await manager.save(warning);
    await this.publish(manager, warning);
  }

  private async publish(manager: EntityManager, warning: RiskWarning): Promise<void> {
    for (const event of warning.pullEvents()) {
      await this.outbox.add(manager, event.type, {
        subject: riskWarningSubject(warning.id),
        data: event.data,
        correlationId: warning.correlationId,
      });
    }
  }
}
