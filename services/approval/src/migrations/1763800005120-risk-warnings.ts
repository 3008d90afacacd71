import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk warnings as the approver keeps them (from supervision's events), and the warning an approval was
 * reviewed strictly under (docs/domain.md §8).
 */
export class RiskWarnings1763800005120 implements MigrationInterface {
  name = 'RiskWarnings1763800005120';

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
    await db.query(`ALTER TABLE approval ADD COLUMN risk_warning jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE approval DROP COLUMN risk_warning`);
    await db.query(`DROP TABLE risk_warning`);
  }
}
