import { Injectable } from '@nestjs/common';
import { PeriodicJob } from '@backbone/platform';
import { DataSource } from 'typeorm';
import { ApprovalConfig } from '../../approval.config';
import { Approval, LicenceStatus } from '../../approvals/approval.entity';
import { LicenceLifecycle } from '../licence-lifecycle.service';
import { dueTransition } from '../licence-transitions';

export interface SweepResult {
  asOf: string;
  transitions: { approvalId: string; from: LicenceStatus; to: LicenceStatus; reason: string }[];
}

/** How many licences one round of the sweep takes. */
const ROUND = 200;

/**
 * The licences the sweep has something to do to as of $1, a round at a time in id order: a suspension that
 * ended, or a validity that ended while active or suspended. The same licences as "suspended and either
 * end passed, or active and its validity passed", written as one arm per partial index
 * (approval_suspension_end, approval_validity_end) so that each arm reads only the licences due, not the
 * whole table in id order (ADR 0085).
 */
export const DUE_LICENCES = `
  SELECT id FROM approval
   WHERE (licence_status = 'suspended' AND suspended_until <= $1)
      OR (licence_status IN ('active', 'suspended') AND valid_until <= $1)
   ORDER BY id
   LIMIT ${ROUND}`;

/**
 * The periodic licence sweep: a suspension whose end has passed → active again; validity ended → expired.
 * Runs on a timer (LICENCE_SWEEP_INTERVAL_MS) and on demand (POST /admin/licence-sweeps). Each licence
 * moves in its own transaction, locked with SKIP LOCKED and re-checked, so replicas may sweep at once.
 */
@Injectable()
export class SweepLicencesService extends PeriodicJob {
  constructor(
    private readonly dataSource: DataSource,
    private readonly licences: LicenceLifecycle,
    private readonly config: ApprovalConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.LICENCE_SWEEP_INTERVAL_MS;
  }

  protected async tick(now: Date): Promise<void> {
    const result = await this.sweep(now);
    if (result.transitions.length > 0) this.logger.log(`licence sweep moved ${result.transitions.length} licence(s)`);
  }

  async sweep(asOf: Date = new Date()): Promise<SweepResult> {
    const result: SweepResult = { asOf: asOf.toISOString(), transitions: [] };
    for (;;) {
      const candidates: { id: string }[] = await this.dataSource.query(DUE_LICENCES, [asOf]);
      let moved = 0;
      for (const { id } of candidates) {
        await this.dataSource.transaction(async (manager) => {
          const approval = await manager.findOne(Approval, { where: { id }, lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' } });
          // Two steps at most: a suspension that ended, then a validity that ended too.
          for (let step = 0; approval && step < 2; step++) {
            const due = dueTransition(
              { status: approval.licenceStatus, suspendedUntil: approval.suspendedUntil, validUntil: approval.validUntil },
              asOf,
            );
            if (!due) break;
            const from = approval.licenceStatus;
            await this.licences.transition(manager, approval, {
              to: due.to,
              reason: `licence sweep as of ${asOf.toISOString()}: ${due.reason}`,
              at: new Date(),
              onIllegal: 'record',
            });
            result.transitions.push({ approvalId: approval.id, from, to: due.to, reason: due.reason });
            moved++;
          }
        });
      }
      // Locked rows (another sweeper has them) are left; stop when a round moves nothing.
      if (candidates.length < ROUND || moved === 0) return result;
    }
  }
}
