import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Complaints that are chased: a kind and a channel (a window, the 12345 hotline with its ticket
 * number and idempotent intake), acceptance, a working-day answer deadline with its reminder and
 * escalation (督办), and repeat complaints about one entity linked. Complaints registered before get
 * the kind `complaint`, the channel `window` and a deadline of 15 calendar days from registration.
 */
export class ComplaintDeadlines1763800005100 implements MigrationInterface {
  name = 'ComplaintDeadlines1763800005100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE complaint
        ADD COLUMN kind text NOT NULL DEFAULT 'complaint' CHECK (kind IN ('complaint', 'report', 'urgent')),
        ADD COLUMN channel text NOT NULL DEFAULT 'window' CHECK (channel IN ('window', 'hotline_12345')),
        ADD COLUMN external_ref text,
        ADD COLUMN answer_deadline timestamptz,
        ADD COLUMN accepted_at timestamptz,
        ADD COLUMN accepted_by text,
        ADD COLUMN reminded_at timestamptz,
        ADD COLUMN escalated_at timestamptz,
        ADD COLUMN repeat_of uuid REFERENCES complaint (id),
        ADD COLUMN repeat_count integer NOT NULL DEFAULT 0,
        ADD COLUMN intake_key text UNIQUE,
        ADD COLUMN intake_digest text`);
    await db.query(`UPDATE complaint SET answer_deadline = registered_at + interval '15 days'`);
    await db.query(`UPDATE complaint SET accepted_at = registered_at WHERE status = 'case_opened'`);
    await db.query(`ALTER TABLE complaint ALTER COLUMN answer_deadline SET NOT NULL`);
    await db.query(`ALTER TABLE complaint ALTER COLUMN kind DROP DEFAULT, ALTER COLUMN channel DROP DEFAULT`);
    await db.query(`ALTER TABLE complaint DROP CONSTRAINT complaint_status_check`);
    await db.query(
      `ALTER TABLE complaint ADD CONSTRAINT complaint_status_check CHECK (status IN ('registered', 'accepted', 'case_opened', 'answered'))`,
    );
    // The sweep pages through open complaints by deadline; the operators' view and repeat linking by entity and time.
    await db.query(`CREATE INDEX complaint_open_deadline ON complaint (answer_deadline, id) WHERE status <> 'answered'`);
    await db.query(`CREATE INDEX complaint_uscc_registered ON complaint (uscc, registered_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX complaint_uscc_registered`);
    await db.query(`DROP INDEX complaint_open_deadline`);
    await db.query(`UPDATE complaint SET status = 'registered' WHERE status = 'accepted'`);
    await db.query(`ALTER TABLE complaint DROP CONSTRAINT complaint_status_check`);
    await db.query(
      `ALTER TABLE complaint ADD CONSTRAINT complaint_status_check CHECK (status IN ('registered', 'case_opened', 'answered'))`,
    );
    await db.query(`
      ALTER TABLE complaint
        DROP COLUMN kind, DROP COLUMN channel, DROP COLUMN external_ref, DROP COLUMN answer_deadline,
        DROP COLUMN accepted_at, DROP COLUMN accepted_by, DROP COLUMN reminded_at, DROP COLUMN escalated_at,
        DROP COLUMN repeat_of, DROP COLUMN repeat_count, DROP COLUMN intake_key, DROP COLUMN intake_digest`);
  }
}
