import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The risk warnings notified to departments (docs/domain.md §8): shown in their work queue while active. */
export class ConsoleRiskWarnings1763800005130 implements MigrationInterface {
  name = 'ConsoleRiskWarnings1763800005130';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE risk_warning_notice (
        warning_id uuid PRIMARY KEY,
        reference text NOT NULL,
        level text NOT NULL,
        title text NOT NULL,
        raised_by text NOT NULL,
        departments text[] NOT NULL,
        scope jsonb NOT NULL,
        concerns jsonb NOT NULL,
        measures jsonb NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text
      )`);
    await db.query(`CREATE INDEX risk_warning_notice_departments ON risk_warning_notice USING gin (departments)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE risk_warning_notice`);
  }
}
