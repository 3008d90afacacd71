import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isOperator, NotFoundError } from '@backbone/platform';
import { SupervisionConfig } from '../../supervision.config';
import { RiskWarning } from '../risk-warning.entity';
import { RiskWarningRepository } from '../risk-warning.repository';

/** Ends risk warnings: lifted by hand (its department or an operator), or expired at their end by the scheduler. */
@Injectable()
export class LiftRiskWarningService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly warnings: RiskWarningRepository,
    private readonly config: SupervisionConfig,
  ) {}

  lift(department: string, id: string, note?: string, now = new Date()): Promise<RiskWarning> {
    return this.dataSource.transaction(async (manager) => {
      const warning = await this.warnings.lock(manager, id);
      if (!warning) throw new NotFoundError('risk warning', id);
      warning.assertMayLift(department, isOperator(this.config, department));
      warning.end('lifted', department, now, note);
      await this.warnings.save(manager, warning);
      return warning;
    });
  }

  /** Every warning past its end, expired (RiskWarningLiftedV1, reason expired), in batches. Returns their ids. */
  async expire(asOf = new Date(), batch = 100): Promise<string[]> {
    const expired: string[] = [];
    for (;;) {
      const ids = await this.dataSource.transaction(async (manager) => {
        const due = await this.warnings.lockExpired(manager, asOf, batch);
        for (const warning of due) {
          warning.end('expired', 'scheduler', warning.endsAt);
          await this.warnings.save(manager, warning);
        }
        return due.map((warning) => warning.id);
      });
      expired.push(...ids);
      if (ids.length < batch) return expired;
    }
  }
}
