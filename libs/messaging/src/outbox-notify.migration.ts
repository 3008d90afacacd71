import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rows committed into the outbox wake the leading relay, in whichever process it runs: a statement
 * trigger notifies `backbone_outbox` (PostgreSQL sends it at commit, once per transaction). ADR 0021.
 */
export class OutboxNotify1763800001100 implements MigrationInterface {
  name = 'OutboxNotify1763800001100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('backbone_outbox', '');
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER outbox_notify ON outbox`);
    await db.query(`DROP FUNCTION outbox_notify()`);
  }
}
