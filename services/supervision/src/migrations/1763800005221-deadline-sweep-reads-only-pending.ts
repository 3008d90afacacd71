import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deadline sweep runs every minute (ADR 0086). Its escalation of commitment verifications read them
 * by `commitment_verification_unverified`, which keeps a verification until it is recorded, escalated or
 * not: every escalated one never recorded was read again at every sweep, for ever.
 * `commitment_verification_unescalated` holds only those the sweep may still escalate. Its reminders read
 * tasks by `supervision_task_unescalated`, which keeps a reminded task until it is escalated: each was read
 * again at every sweep of its last working day. `supervision_task_unreminded` holds only those not yet
 * reminded. The older indexes stay: the reconciliation lists escalated verifications too, and the
 * escalation of tasks reads reminded ones.
 */
export class DeadlineSweepReadsOnlyPending1763800005221 implements MigrationInterface {
  name = 'DeadlineSweepReadsOnlyPending1763800005221';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX commitment_verification_unescalated ON commitment_verification (due_at, id)
        WHERE verified_at IS NULL AND escalated_at IS NULL AND task_id IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX supervision_task_unreminded ON supervision_task (claim_deadline, id)
        WHERE status = 'assigned' AND reminded_at IS NULL AND escalated_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX supervision_task_unreminded`);
    await db.query(`DROP INDEX commitment_verification_unescalated`);
  }
}
