import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk warnings as the inspection service keeps them (from supervision's events), and the warnings that
 * raised a task's ratios when its pool was frozen (docs/domain.md §8).
 */
export class RiskWarnings1763800005110 implements MigrationInterface {
  name = 'RiskWarnings1763800005110';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE risk_warning (
        id uuid PRIMARY KEY,
        reference text NOT NULL,
        level text NOT NULL,
        scope jsonb NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        raised_at timestamptz NOT NULL,
        ended_at timestamptz
      )`);
    await db.query(`ALTER TABLE inspection_task ADD COLUMN risk_warnings jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE inspection_task DROP COLUMN risk_warnings`);
    await db.query(`DROP TABLE risk_warning`);
  }
}
