import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The enforcement and random-inspection figures are read at every refresh of their page (every 10 s for
 * each operator who has it open). Their ranges over these columns, and their counts of what is still
 * waiting, had no index and read the whole table each time (ADR 0082's item 2; ADR 0084):
 * - `closed_at` and `decided_at` of a case: closed by outcome, open now (`closed_at IS NULL`, which this
 *   btree holds too), penalties by kind, decisions published;
 * - `requested_at` and `reviewed_at` of a legal review: requested and answered in the period, pending
 *   (`reviewed_at IS NULL` or later than asOf);
 * - `answered_at` and `escalated_at` of a complaint, `answered_at` of a credit request: the same;
 * - `inspected_at`, `check_completed_at` and `published_at` of an inspection result: coverage and trend.
 * A column only ever asked for a range is indexed where it is set.
 */
export class FiguresByIndex1763800005200 implements MigrationInterface {
  name = 'FiguresByIndex1763800005200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX enforcement_case_closed ON enforcement_case (closed_at)`);
    await db.query(`CREATE INDEX enforcement_case_decided ON enforcement_case (decided_at) WHERE decided_at IS NOT NULL`);
    await db.query(`CREATE INDEX legal_review_fact_requested ON legal_review_fact (requested_at)`);
    await db.query(`CREATE INDEX legal_review_fact_reviewed ON legal_review_fact (reviewed_at)`);
    await db.query(`CREATE INDEX complaint_fact_answered ON complaint_fact (answered_at)`);
    await db.query(`CREATE INDEX complaint_fact_escalated ON complaint_fact (escalated_at) WHERE escalated_at IS NOT NULL`);
    await db.query(`CREATE INDEX credit_request_answered ON credit_request (answered_at)`);
    await db.query(`CREATE INDEX inspection_result_fact_inspected ON inspection_result_fact (inspected_at)`);
    await db.query(
      `CREATE INDEX inspection_result_fact_check_completed ON inspection_result_fact (check_completed_at) WHERE check_completed_at IS NOT NULL`,
    );
    await db.query(`CREATE INDEX inspection_result_fact_published ON inspection_result_fact (published_at) WHERE published_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX inspection_result_fact_published, inspection_result_fact_check_completed, inspection_result_fact_inspected`);
    await db.query(`DROP INDEX credit_request_answered, complaint_fact_escalated, complaint_fact_answered`);
    await db.query(`DROP INDEX legal_review_fact_reviewed, legal_review_fact_requested, enforcement_case_decided, enforcement_case_closed`);
  }
}
