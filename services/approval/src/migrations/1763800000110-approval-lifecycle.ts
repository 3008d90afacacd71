import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issues #3 and #4 on the approval side: delegation and entrustment, the licence lifecycle and its
 * transitions, the loop trail, the credit projection and checks (逢办必查), open-case holds, and the
 * new supervision feedback states.
 */
export class ApprovalLifecycle1763800000110 implements MigrationInterface {
  name = 'ApprovalLifecycle1763800000110';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE approval
        ADD COLUMN delegation jsonb,
        ADD COLUMN entrustment jsonb,
        ADD COLUMN publication_status text NOT NULL DEFAULT 'published' CHECK (publication_status IN ('published', 'held')),
        ADD COLUMN held_reason text,
        ADD COLUMN held_since timestamptz,
        ADD COLUMN released_at timestamptz,
        ADD COLUMN stricter_review boolean NOT NULL DEFAULT false,
        ADD COLUMN credit_check_reason text,
        ADD COLUMN still_supervised boolean,
        ADD COLUMN last_change text,
        ADD COLUMN rectification_deadline timestamptz,
        ADD COLUMN rectification_reason text,
        ADD COLUMN claim_deadline timestamptz,
        ADD COLUMN claim_reminded_at timestamptz,
        ADD COLUMN escalated_at timestamptz,
        ADD COLUMN returned_reason text,
        ADD COLUMN closed_reason text`);
    await db.query(`ALTER TABLE approval DROP CONSTRAINT approval_licence_status_check`);
    await db.query(`
      ALTER TABLE approval ADD CONSTRAINT approval_licence_status_check
        CHECK (licence_status IN ('active', 'suspended', 'revoked', 'expired', 'cancelled', 'none'))`);
    await db.query(`ALTER TABLE approval DROP CONSTRAINT approval_supervision_status_check`);
    await db.query(`
      ALTER TABLE approval ADD CONSTRAINT approval_supervision_status_check
        CHECK (supervision_status IN ('awaiting_assignment', 'assigned', 'claimed', 'unrouted', 'returned', 'escalated', 'closed'))`);
    await db.query(`CREATE INDEX approval_held ON approval (uscc) WHERE publication_status = 'held'`);

    await db.query(`
      CREATE TABLE licence_transition (
        id bigserial PRIMARY KEY,
        approval_id uuid NOT NULL REFERENCES approval (id),
        from_status text NOT NULL,
        to_status text NOT NULL,
        applied boolean NOT NULL,
        until timestamptz,
        reason text NOT NULL,
        cause_event_id text,
        cause_event_type text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX licence_transition_approval ON licence_transition (approval_id, id)`);

    await db.query(`
      CREATE TABLE loop_event (
        event_id text PRIMARY KEY,
        arrival bigserial NOT NULL,
        type text NOT NULL,
        source text NOT NULL,
        subject text NOT NULL,
        time timestamptz NOT NULL,
        correlation_id text NOT NULL,
        causation_id text,
        data jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX loop_event_correlation ON loop_event (correlation_id, time, arrival)`);

    await db.query(`
      CREATE TABLE credit_standing (
        uscc text PRIMARY KEY,
        tier text NOT NULL,
        lists jsonb NOT NULL,
        measures jsonb NOT NULL,
        effective_at timestamptz NOT NULL,
        event_id text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE credit_check (
        id bigserial PRIMARY KEY,
        uscc text NOT NULL,
        application_number text NOT NULL,
        department text NOT NULL,
        kind text NOT NULL,
        tier text,
        lists jsonb NOT NULL,
        measures jsonb NOT NULL,
        result text NOT NULL CHECK (result IN ('accepted', 'flagged', 'refused')),
        code text,
        reason text NOT NULL,
        approval_id uuid,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX credit_check_uscc ON credit_check (uscc, id)`);

    await db.query(`
      CREATE TABLE enforcement_case_projection (
        case_id uuid PRIMARY KEY,
        uscc text NOT NULL,
        department text NOT NULL,
        opened_at timestamptz,
        closed_at timestamptz,
        open_event_id text,
        close_event_id text
      )`);
    await db.query(`CREATE INDEX enforcement_case_projection_open ON enforcement_case_projection (uscc) WHERE closed_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE enforcement_case_projection`);
    await db.query(`DROP TABLE credit_check`);
    await db.query(`DROP TABLE credit_standing`);
    await db.query(`DROP TABLE loop_event`);
    await db.query(`DROP TABLE licence_transition`);
    await db.query(`DROP INDEX approval_held`);
    await db.query(`ALTER TABLE approval DROP CONSTRAINT approval_supervision_status_check`);
    await db.query(`
      ALTER TABLE approval ADD CONSTRAINT approval_supervision_status_check
        CHECK (supervision_status IN ('awaiting_assignment', 'assigned', 'claimed', 'unrouted'))`);
    await db.query(`ALTER TABLE approval DROP CONSTRAINT approval_licence_status_check`);
    await db.query(`
      ALTER TABLE approval ADD CONSTRAINT approval_licence_status_check
        CHECK (licence_status IN ('active', 'suspended', 'revoked', 'none'))`);
    await db.query(`
      ALTER TABLE approval
        DROP COLUMN delegation, DROP COLUMN entrustment, DROP COLUMN publication_status, DROP COLUMN held_reason,
        DROP COLUMN held_since, DROP COLUMN released_at, DROP COLUMN stricter_review, DROP COLUMN credit_check_reason,
        DROP COLUMN still_supervised, DROP COLUMN last_change, DROP COLUMN rectification_deadline,
        DROP COLUMN rectification_reason, DROP COLUMN claim_deadline, DROP COLUMN claim_reminded_at,
        DROP COLUMN escalated_at, DROP COLUMN returned_reason, DROP COLUMN closed_reason`);
  }
}
