import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApprovalConfig } from '../../approval.config';
import { Approval, LicenceStatus } from '../../approvals/approval.entity';
import { LicenceLifecycle } from '../licence-lifecycle.service';
import { dueTransition } from '../licence-transitions';

export interface SweepResult {
  asOf: string;
  transitions: { approvalId: string; from: LicenceStatus; to: LicenceStatus; reason: string }[];
}

/**
 * The periodic licence sweep: a suspension whose end has passed → active again; validity ended → expired.
 * Runs on a timer (LICENCE_SWEEP_INTERVAL_MS) and on demand (POST /admin/licence-sweeps). Each licence
 * moves in its own transaction, locked with SKIP LOCKED and re-checked, so replicas may sweep at once.
 */
@Injectable()
export class SweepLicencesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(SweepLicencesService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly licences: LicenceLifecycle,
    private readonly config: ApprovalConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.LICENCE_SWEEP_INTERVAL_MS <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .then((result) => result.transitions.length > 0 && this.log.log(`licence sweep moved ${result.transitions.length} licence(s)`))
        .catch((error: unknown) => this.log.error(`licence sweep failed: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.config.LICENCE_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async sweep(asOf: Date = new Date()): Promise<SweepResult> {
    const result: SweepResult = { asOf: asOf.toISOString(), transitions: [] };
    for (;;) {
      const candidates: { id: string }[] = await this.dataSource.query(
        `SELECT id FROM approval
          WHERE (licence_status = 'suspended' AND (suspended_until <= $1 OR valid_until <= $1))
             OR (licence_status = 'active' AND valid_until <= $1)
          ORDER BY id LIMIT 200`,
        [asOf],
      );
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
      if (candidates.length < 200 || moved === 0) return result;
    }
  }
}
