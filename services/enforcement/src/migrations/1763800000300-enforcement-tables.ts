import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EnforcementTables1763800000300 implements MigrationInterface {
  name = 'EnforcementTables1763800000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE enforcement_case (
        id uuid PRIMARY KEY,
        correlation_id text NOT NULL,
        uscc text NOT NULL,
        approval_id uuid,
        inspection_id uuid UNIQUE,
        department text NOT NULL,
        status text NOT NULL CHECK (status IN ('opened', 'decided')),
        violation_codes jsonb NOT NULL,
        opened_at timestamptz NOT NULL,
        decided_at timestamptz,
        CHECK ((status = 'decided') = (decided_at IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX enforcement_case_uscc ON enforcement_case (uscc)`);
    await db.query(`
      CREATE TABLE penalty_decision (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL UNIQUE REFERENCES enforcement_case (id),
        decision_number text NOT NULL,
        penalties jsonb NOT NULL,
        licence_action jsonb,
        decided_by text NOT NULL,
        decided_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE penalty_decision`);
    await db.query(`DROP TABLE enforcement_case`);
  }
}
