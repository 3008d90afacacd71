import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue #10: the ledger of granted approvals (reconciliation from both ends) pages by decision time. */
export class ApprovalLedger1763800005150 implements MigrationInterface {
  name = 'ApprovalLedger1763800005150';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX approval_granted_decided ON approval (decided_at, id) WHERE outcome = 'granted'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX approval_granted_decided`);
  }
}
