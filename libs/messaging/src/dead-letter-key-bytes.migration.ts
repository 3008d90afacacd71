import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A dead letter keeps its Kafka key's bytes as they came, beside the key as (made-safe) text. */
export class DeadLetterKeyBytes1763800001000 implements MigrationInterface {
  name = 'DeadLetterKeyBytes1763800001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE dead_letter ADD COLUMN message_key_bytes bytea`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE dead_letter DROP COLUMN message_key_bytes`);
  }
}
