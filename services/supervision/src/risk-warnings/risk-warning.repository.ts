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
    const open = await manager.find(RiskWarning, { where: { endedAt: IsNull(), endsAt: MoreThan(at), startsAt: LessThanOrEqual(at) } });
    const strongest = strongestRiskWarning(
      open.map((warning) => ({ ...warning.held(), warning })),
      target,
      at,
    );
    return strongest?.warning ?? null;
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
