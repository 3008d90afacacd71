import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk warnings (风险预警, 000 三(二)3; docs/domain.md §8, ADR 0071): the warnings supervision keeps, and
 * which new tasks each one touched (a tightened claim deadline), for the trail and the warning's view.
 */
export class RiskWarnings1763800005100 implements MigrationInterface {
  name = 'RiskWarnings1763800005100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE risk_warning (
        id uuid PRIMARY KEY,
        reference text NOT NULL UNIQUE,
        level text NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
        title text NOT NULL,
        raised_by text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        scope jsonb NOT NULL,
        concerns jsonb NOT NULL,
        measures jsonb NOT NULL,
        notified_departments text[] NOT NULL,
        correlation_id text NOT NULL,
        raised_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('lifted', 'expired')),
        ended_by text,
        end_note text,
        CHECK (ends_at > starts_at)
      )`);
    await db.query(`CREATE INDEX risk_warning_open ON risk_warning (ends_at) WHERE ended_at IS NULL`);
    await db.query(`
      CREATE TABLE task_risk_warning (
        task_id uuid NOT NULL REFERENCES supervision_task (id),
        warning_id uuid NOT NULL REFERENCES risk_warning (id),
        level text NOT NULL,
        assigned_department text NOT NULL,
        normal_claim_days int NOT NULL,
        claim_days int NOT NULL,
        claim_deadline timestamptz NOT NULL,
        applied_at timestamptz NOT NULL,
        PRIMARY KEY (task_id, warning_id, applied_at)
      )`);
    await db.query(`CREATE INDEX task_risk_warning_warning ON task_risk_warning (warning_id, applied_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE task_risk_warning`);
    await db.query(`DROP TABLE risk_warning`);
  }
}
