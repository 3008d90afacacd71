import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #10: overdue commitment verifications are escalated once (escalated_at); the deadline sweep pages
 * through due tasks and verifications in a stable order (deadline, id), one index range scan per page.
 */
export class ReconciliationBothEnds1763800005160 implements MigrationInterface {
  name = 'ReconciliationBothEnds1763800005160';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE commitment_verification ADD COLUMN escalated_at timestamptz`);
    await db.query(`CREATE INDEX commitment_verification_unverified ON commitment_verification (due_at, id) WHERE verified_at IS NULL`);
    await db.query(
      `CREATE INDEX supervision_task_unescalated ON supervision_task (claim_deadline, id) WHERE status = 'assigned' AND escalated_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX supervision_task_unescalated`);
    await db.query(`DROP INDEX commitment_verification_unverified`);
    await db.query(`ALTER TABLE commitment_verification DROP COLUMN escalated_at`);
  }
}
