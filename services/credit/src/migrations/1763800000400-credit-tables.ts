import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreditTables1763800000400 implements MigrationInterface {
  name = 'CreditTables1763800000400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE credit_entry (
        id bigserial PRIMARY KEY,
        uscc text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('penalty', 'inspection')),
        source_event_id text NOT NULL UNIQUE,
        correlation_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        detail jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Serves the record query: one entity's entries in the order they occurred.
    await db.query(`CREATE INDEX credit_entry_uscc ON credit_entry (uscc, occurred_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE credit_entry`);
  }
}
