import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { PenaltyKind } from '@backbone/contracts';

/** The discretion benchmarks every installation starts with (amended later through the API, not here). */
export const SEEDED_BENCHMARKS: ReadonlyArray<
  [string, 'minor' | 'general' | 'serious', string, PenaltyKind[], number | null, number | null, 'none' | 'no_penalty' | 'light_penalty']
> = [
  ['FOOD-HYGIENE-01', 'minor', '《食品安全法》第一百二十六条', ['warning', 'order_to_correct', 'fine'], 0, 5000, 'light_penalty'],
  [
    'FOOD-HYGIENE-01',
    'general',
    '《食品安全法》第一百二十六条',
    ['warning', 'order_to_correct', 'fine', 'confiscation'],
    5000,
    20000,
    'none',
  ],
  [
    'FOOD-HYGIENE-01',
    'serious',
    '《食品安全法》第一百二十六条',
    ['order_to_correct', 'fine', 'confiscation', 'business_suspension', 'licence_suspension', 'licence_revocation'],
    20000,
    50000,
    'none',
  ],
  ['FOOD-001', 'minor', '《食品安全法》第一百二十四条', ['warning', 'order_to_correct', 'fine', 'confiscation'], 0, 10000, 'none'],
  ['FOOD-001', 'general', '《食品安全法》第一百二十四条', ['order_to_correct', 'fine', 'confiscation'], 50000, 100000, 'none'],
  [
    'FOOD-001',
    'serious',
    '《食品安全法》第一百二十四条',
    ['fine', 'confiscation', 'business_suspension', 'licence_suspension', 'licence_revocation', 'industry_ban'],
    100000,
    500000,
    'none',
  ],
  ['FOOD-007', 'minor', '《食品经营许可管理办法》第五十条', ['warning', 'order_to_correct'], null, null, 'no_penalty'],
  ['FOOD-007', 'general', '《食品经营许可管理办法》第五十条', ['warning', 'order_to_correct', 'fine'], 1000, 10000, 'none'],
  [
    'UNLICENSED-NO-BUSINESS-LICENCE',
    'minor',
    '《无证无照经营查处办法》第十三条',
    ['warning', 'order_to_correct'],
    null,
    null,
    'no_penalty',
  ],
  [
    'UNLICENSED-NO-BUSINESS-LICENCE',
    'general',
    '《无证无照经营查处办法》第十三条',
    ['order_to_correct', 'fine', 'confiscation'],
    1000,
    10000,
    'none',
  ],
  [
    'UNLICENSED-NO-BUSINESS-LICENCE',
    'serious',
    '《无证无照经营查处办法》第十三条',
    ['order_to_correct', 'fine', 'confiscation', 'business_suspension'],
    10000,
    100000,
    'none',
  ],
  [
    'UNLICENSED-NO-PERMIT',
    'general',
    '《无证无照经营查处办法》第十四条',
    ['order_to_correct', 'fine', 'confiscation'],
    5000,
    50000,
    'none',
  ],
  [
    'UNLICENSED-NO-PERMIT',
    'serious',
    '《无证无照经营查处办法》第十四条',
    ['order_to_correct', 'fine', 'confiscation', 'business_suspension', 'industry_ban'],
    50000,
    200000,
    'none',
  ],
];

/**
 * The lawful process of a case: its states, evidence, legal review, discretion benchmarks, complaints,
 * and the append-only, hash-chained full-process record with its insert-only anchors.
 */
export class EnforcementProcess1763800000310 implements MigrationInterface {
  name = 'EnforcementProcess1763800000310';

  async up(db: QueryRunner): Promise<void> {
    // The first migration's unnamed CHECKs only knew 'opened' and 'decided': replace them.
    const checks: Array<{ conname: string }> = await db.query(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'enforcement_case'::regclass AND contype = 'c'`,
    );
    for (const { conname } of checks) await db.query(`ALTER TABLE enforcement_case DROP CONSTRAINT "${conname}"`);
    await db.query(`
      ALTER TABLE enforcement_case
        ADD COLUMN source text NOT NULL DEFAULT 'inspection'
          CHECK (source IN ('inspection', 'unlicensed_clue', 'transfer', 'complaint', 'manual')),
        ADD COLUMN source_key text UNIQUE,
        ADD COLUMN investigator text,
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN close_outcome text CHECK (close_outcome IN ('executed', 'no_penalty', 'transferred')),
        ADD COLUMN transferred_to text,
        ADD COLUMN log_head_seq integer NOT NULL DEFAULT 0,
        ADD COLUMN log_head_hash text,
        ADD CONSTRAINT enforcement_case_status_known CHECK (status IN
          ('opened', 'investigating', 'under_review', 'decided', 'served', 'executed', 'closed', 'transferred')),
        ADD CONSTRAINT enforcement_case_closed_has_outcome CHECK ((status IN ('closed', 'transferred')) = (close_outcome IS NOT NULL))`);
    await db.query(`ALTER TABLE enforcement_case ALTER COLUMN source DROP DEFAULT`);

    await db.query(`
      CREATE TABLE case_evidence (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES enforcement_case (id),
        collected_by text NOT NULL,
        description text NOT NULL,
        reference text NOT NULL,
        collected_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX case_evidence_case ON case_evidence (case_id)`);

    await db.query(`
      CREATE TABLE legal_review (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES enforcement_case (id),
        action text NOT NULL CHECK (action IN ('decide', 'transfer_judicial')),
        proposal jsonb NOT NULL,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL,
        reviewer text,
        reviewer_department text,
        outcome text CHECK (outcome IN ('approved', 'rejected')),
        opinion text,
        reviewed_at timestamptz,
        CHECK ((outcome IS NULL) = (reviewed_at IS NULL))
      )`);
    await db.query(`CREATE INDEX legal_review_case ON legal_review (case_id)`);

    await db.query(`
      CREATE TABLE discretion_benchmark (
        violation_code text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('minor', 'general', 'serious')),
        basis text NOT NULL,
        measures jsonb NOT NULL,
        min_fine numeric(14, 2),
        max_fine numeric(14, 2),
        first_minor text NOT NULL DEFAULT 'none' CHECK (first_minor IN ('none', 'no_penalty', 'light_penalty')),
        PRIMARY KEY (violation_code, severity),
        CHECK ((min_fine IS NULL) = (max_fine IS NULL) AND (min_fine IS NULL OR min_fine <= max_fine))
      )`);
    for (const [code, severity, basis, measures, minFine, maxFine, firstMinor] of SEEDED_BENCHMARKS) {
      await db.query(
        `INSERT INTO discretion_benchmark (violation_code, severity, basis, measures, min_fine, max_fine, first_minor) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [code, severity, basis, JSON.stringify(measures), minFine, maxFine, firstMinor],
      );
    }

    await db.query(`
      ALTER TABLE penalty_decision
        ADD COLUMN severity text NOT NULL DEFAULT 'general' CHECK (severity IN ('minor', 'general', 'serious')),
        ADD COLUMN major boolean NOT NULL DEFAULT false,
        ADD COLUMN legal_review_id uuid REFERENCES legal_review (id),
        ADD COLUMN log_head_seq integer NOT NULL DEFAULT 0,
        ADD COLUMN log_head_hash text,
        ADD COLUMN publish_until timestamptz`);
    await db.query(`ALTER TABLE penalty_decision ALTER COLUMN severity DROP DEFAULT`);
    // Decisions made before publication periods existed are published for the default year.
    await db.query(`UPDATE penalty_decision SET publish_until = decided_at + interval '365 days'`);

    await db.query(`
      CREATE TABLE complaint (
        id uuid PRIMARY KEY,
        uscc text NOT NULL,
        department text NOT NULL,
        complainant text NOT NULL,
        contact text,
        content text NOT NULL,
        violation_codes jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('registered', 'case_opened', 'answered')),
        case_id uuid REFERENCES enforcement_case (id),
        answer text,
        registered_at timestamptz NOT NULL,
        answered_at timestamptz
      )`);
    await db.query(`CREATE INDEX complaint_uscc ON complaint (uscc)`);

    // The full-process record (全过程记录): append-only, hash-chained per case.
    await db.query(`
      CREATE TABLE case_log_entry (
        case_id uuid NOT NULL REFERENCES enforcement_case (id),
        seq integer NOT NULL CHECK (seq >= 1),
        kind text NOT NULL,
        department text NOT NULL,
        person text,
        at timestamptz NOT NULL,
        detail jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (case_id, seq)
      )`);
    // Anchors of a case's head hash at its milestones (decision, transfer, close): insert only.
    await db.query(`
      CREATE TABLE case_log_anchor (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES enforcement_case (id),
        seq integer NOT NULL,
        hash text NOT NULL,
        reason text NOT NULL,
        anchored_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX case_log_anchor_case ON case_log_anchor (case_id)`);
    await db.query(`
      CREATE FUNCTION refuse_change_of_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the table % is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['case_log_entry', 'case_log_anchor']) {
      await db.query(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change_of_record()`,
      );
      await db.query(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_record()`,
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE case_log_anchor`);
    await db.query(`DROP TABLE case_log_entry`);
    await db.query(`DROP FUNCTION refuse_change_of_record()`);
    await db.query(`DROP TABLE complaint`);
    await db.query(
      `ALTER TABLE penalty_decision DROP COLUMN severity, DROP COLUMN major, DROP COLUMN legal_review_id, DROP COLUMN log_head_seq, DROP COLUMN log_head_hash, DROP COLUMN publish_until`,
    );
    await db.query(`DROP TABLE discretion_benchmark`);
    await db.query(`DROP TABLE legal_review`);
    await db.query(`DROP TABLE case_evidence`);
    await db.query(`
      ALTER TABLE enforcement_case
        DROP CONSTRAINT enforcement_case_status_known, DROP CONSTRAINT enforcement_case_closed_has_outcome,
        DROP COLUMN source, DROP COLUMN source_key, DROP COLUMN investigator, DROP COLUMN closed_at, DROP COLUMN close_outcome,
        DROP COLUMN transferred_to, DROP COLUMN log_head_seq, DROP COLUMN log_head_hash`);
  }
}
