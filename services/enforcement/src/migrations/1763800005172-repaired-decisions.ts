import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A credit repair granted at credit reaches the published decision it covers: the decision records the
 * repair and, per severity, leaves the public list (withdrawn) or stays on it marked as repaired.
 */
export class RepairedDecisions1763800005172 implements MigrationInterface {
  name = 'RepairedDecisions1763800005172';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE penalty_decision
        ADD COLUMN repair_id uuid,
        ADD COLUMN repaired_at timestamptz,
        ADD COLUMN publicity_withdrawn_at timestamptz,
        ADD CONSTRAINT penalty_decision_withdrawn_after_repair CHECK (publicity_withdrawn_at IS NULL OR repaired_at IS NOT NULL)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE penalty_decision
        DROP CONSTRAINT penalty_decision_withdrawn_after_repair,
        DROP COLUMN publicity_withdrawn_at, DROP COLUMN repaired_at, DROP COLUMN repair_id`);
  }
}
