import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The complaint sweep (every COMPLAINT_SWEEP_INTERVAL_MS) chases complaints not answered and not yet
 * escalated. It read them by `complaint_open_deadline`, which also holds every complaint escalated and
 * still unanswered: those have the earliest deadlines, so each sweep read that whole backlog first and
 * dropped it row by row. This index holds only the complaints the sweep may still remind or escalate; an
 * escalation or an answer takes the complaint out of it (ADR 0085). `complaint_open_deadline` stays for
 * the overdue filter of the complaint lists and the overdue gauge.
 */
export class ComplaintSweepUnescalated1763800005211 implements MigrationInterface {
  name = 'ComplaintSweepUnescalated1763800005211';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE INDEX complaint_unescalated_deadline ON complaint (answer_deadline, id)
        WHERE status <> 'answered' AND escalated_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX complaint_unescalated_deadline`);
  }
}
