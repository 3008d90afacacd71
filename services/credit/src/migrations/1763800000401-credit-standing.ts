import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The credit record grows beyond penalties and inspections: commitment outcomes, list entries and
 * exits, repairs and corrections are facts too (append-only; validity is derived from later facts).
 * Beside it: the current standing per USCC (also the row that serialises writers for one entity),
 * repair applications and objections.
 */
export class CreditStanding1763800000401 implements MigrationInterface {
  name = 'CreditStanding1763800000401';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE credit_entry DROP CONSTRAINT credit_entry_kind_check`);
    await db.query(`
      ALTER TABLE credit_entry ADD CONSTRAINT credit_entry_kind_check
        CHECK (kind IN ('penalty', 'inspection', 'commitment', 'list_entry', 'list_exit', 'repair', 'correction'))`);
    await db.query(`
      CREATE TABLE credit_record (
        uscc text PRIMARY KEY,
        tier text NOT NULL CHECK (tier IN ('A', 'B', 'C', 'D')),
        score integer NOT NULL,
        lists text[] NOT NULL DEFAULT '{}',
        measures text[] NOT NULL DEFAULT '{}',
        version integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE credit_repair (
        id uuid PRIMARY KEY,
        uscc text NOT NULL,
        entry_id bigint NOT NULL REFERENCES credit_entry (id),
        applicant_department text NOT NULL,
        reason text NOT NULL,
        rectification_evidence text,
        commitment text,
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        decided_by text,
        decision_note text,
        decided_at timestamptz,
        correlation_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX credit_repair_uscc ON credit_repair (uscc, created_at)`);
    await db.query(`
      CREATE TABLE credit_objection (
        id uuid PRIMARY KEY,
        uscc text NOT NULL,
        entry_id bigint NOT NULL REFERENCES credit_entry (id),
        raised_by text NOT NULL,
        grounds text NOT NULL,
        status text NOT NULL CHECK (status IN ('received', 'handling', 'upheld', 'rejected')),
        handled_by text,
        handler text,
        answer text,
        answered_at timestamptz,
        effective_from timestamptz,
        correlation_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX credit_objection_uscc ON credit_objection (uscc, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE credit_objection`);
    await db.query(`DROP TABLE credit_repair`);
    await db.query(`DROP TABLE credit_record`);
    await db.query(`ALTER TABLE credit_entry DROP CONSTRAINT credit_entry_kind_check`);
    await db.query(`ALTER TABLE credit_entry ADD CONSTRAINT credit_entry_kind_check CHECK (kind IN ('penalty', 'inspection'))`);
  }
}
