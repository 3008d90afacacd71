import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The enforcement and credit duty figures' own rows (issue #8): legal reviews, the publication of penalty
 * decisions, complaints and their answer deadlines, credit repairs and objections. Each row is written in
 * the inbox transaction of the event that caused it, like the rest of the read model.
 */
export class ConsoleDutyRecords1763800003200 implements MigrationInterface {
  name = 'ConsoleDutyRecords1763800003200';

  async up(db: QueryRunner): Promise<void> {
    // 法制审核: requested by the case's department, answered by the legal-review department.
    await db.query(`
      CREATE TABLE legal_review_fact (
        review_id uuid PRIMARY KEY,
        case_id uuid NOT NULL,
        department text NOT NULL,
        action text NOT NULL,
        requested_at timestamptz NOT NULL,
        reviewer_department text,
        outcome text,
        reviewed_at timestamptz
      )`);
    await db.query(`CREATE INDEX legal_review_fact_case ON legal_review_fact (case_id)`);
    await db.query(`CREATE INDEX legal_review_fact_unanswered ON legal_review_fact (requested_at) WHERE outcome IS NULL`);

    // A penalty decision is on the public list from the moment enforcement records it (its event's time);
    // it is due there within seven working days of the decision (the publication deadline).
    await db.query(`ALTER TABLE enforcement_case ADD COLUMN decision_published_at timestamptz, ADD COLUMN publish_deadline timestamptz`);

    // 投诉举报: registered with a working-day answer deadline, answered, escalated (督办) once overdue.
    await db.query(`
      CREATE TABLE complaint_fact (
        complaint_id uuid PRIMARY KEY,
        uscc text NOT NULL,
        department text NOT NULL,
        kind text NOT NULL,
        channel text NOT NULL,
        registered_at timestamptz NOT NULL,
        answer_deadline timestamptz NOT NULL,
        answered_at timestamptz,
        escalated_at timestamptz
      )`);
    await db.query(`CREATE INDEX complaint_fact_registered ON complaint_fact (registered_at)`);
    await db.query(`CREATE INDEX complaint_fact_unanswered ON complaint_fact (answer_deadline) WHERE answered_at IS NULL`);

    // 信用修复 and 异议申诉: filed by a department, answered by a credit authority.
    await db.query(`
      CREATE TABLE credit_request (
        request_id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('repair', 'objection')),
        uscc text NOT NULL,
        department text NOT NULL,
        filed_at timestamptz NOT NULL,
        outcome text,
        answered_by text,
        answered_at timestamptz
      )`);
    await db.query(`CREATE INDEX credit_request_filed ON credit_request (filed_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE credit_request, complaint_fact, legal_review_fact`);
    await db.query(`ALTER TABLE enforcement_case DROP COLUMN decision_published_at, DROP COLUMN publish_deadline`);
  }
}
