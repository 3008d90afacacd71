import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sweep reminds the pending checks whose reminder is due and escalates those past their deadline, each
 * once, taking them in deadline order. `inspection_check_open` holds every pending check, those already
 * reminded and escalated too, so each sweep read that whole backlog again. These hold only the checks still
 * to remind, and those still to escalate; a check leaves each once stamped or done (ADR 0087).
 */
export class InspectionChecksStillToChase1763800005231 implements MigrationInterface {
  name = 'InspectionChecksStillToChase1763800005231';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX inspection_check_unreminded ON inspection_check (deadline) WHERE status = 'pending' AND reminded_at IS NULL`,
    );
    await db.query(
      `CREATE INDEX inspection_check_unescalated ON inspection_check (deadline) WHERE status = 'pending' AND escalated_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX inspection_check_unescalated`);
    await db.query(`DROP INDEX inspection_check_unreminded`);
  }
}
