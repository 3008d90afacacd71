import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inspection sweep (every 60 s) finds its rows by index instead of reading whole tables (ADR 0087):
 * - the results whose publication period has ended, among those not yet withdrawn;
 * - the tasks created in the year of the figures (a range on `created_at`, not `extract(year …)`);
 * - the key entities of the pool, and each one's results of the year (key coverage).
 */
export class InspectionSweepByIndex1763800005230 implements MigrationInterface {
  name = 'InspectionSweepByIndex1763800005230';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX inspection_result_withdrawal_due ON inspection_result (withdraw_at) WHERE withdrawn_at IS NULL`);
    await db.query(`CREATE INDEX inspection_task_created ON inspection_task (created_at)`);
    await db.query(`CREATE INDEX inspection_result_uscc_inspected ON inspection_result (uscc, inspected_at)`);
    await db.query(`CREATE INDEX target_entity_key_active ON target_entity (uscc) WHERE key_supervision AND status = 'active'`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const index of [
      'target_entity_key_active',
      'inspection_result_uscc_inspected',
      'inspection_task_created',
      'inspection_result_withdrawal_due',
    ])
      await db.query(`DROP INDEX ${index}`);
  }
}
