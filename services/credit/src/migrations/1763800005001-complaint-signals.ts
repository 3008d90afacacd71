import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Complaints registered about an entity, kept as a risk signal beside the credit record (never a credit fact). */
export class ComplaintSignals1763800005001 implements MigrationInterface {
  name = 'ComplaintSignals1763800005001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE complaint_signal (
        complaint_id uuid PRIMARY KEY,
        uscc text NOT NULL,
        kind text NOT NULL,
        channel text NOT NULL,
        department text NOT NULL,
        repeat_of uuid,
        registered_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX complaint_signal_uscc ON complaint_signal (uscc, registered_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE complaint_signal`);
  }
}
