import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApprovalTables1763800000100 implements MigrationInterface {
  name = 'ApprovalTables1763800000100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE approval (
        id uuid PRIMARY KEY,
        version int NOT NULL,
        correlation_id uuid NOT NULL,
        application_number text NOT NULL,
        uscc text NOT NULL,
        entity_name text NOT NULL,
        item_code text NOT NULL,
        region_code text NOT NULL,
        approver_department text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('licence', 'filing', 'commitment')),
        outcome text NOT NULL CHECK (outcome IN ('granted', 'refused')),
        licence_number text,
        licence_status text NOT NULL CHECK (licence_status IN ('active', 'suspended', 'revoked', 'none')),
        suspended_until timestamptz,
        decided_at timestamptz NOT NULL,
        valid_until timestamptz,
        supervision_status text NOT NULL
          CHECK (supervision_status IN ('awaiting_assignment', 'assigned', 'claimed', 'unrouted')),
        supervising_department text,
        task_id uuid,
        claimed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX approval_application ON approval (approver_department, application_number)`);
    await db.query(`CREATE INDEX approval_uscc ON approval (uscc)`);
    await db.query(`
      CREATE TABLE approval_feedback (
        id bigserial PRIMARY KEY,
        approval_id uuid NOT NULL REFERENCES approval (id),
        kind text NOT NULL,
        event_id text NOT NULL,
        detail jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX approval_feedback_approval ON approval_feedback (approval_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE approval_feedback`);
    await db.query(`DROP TABLE approval`);
  }
}
