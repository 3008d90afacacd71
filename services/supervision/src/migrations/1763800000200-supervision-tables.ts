import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SupervisionTables1763800000200 implements MigrationInterface {
  name = 'SupervisionTables1763800000200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE catalog_entry (
        id uuid PRIMARY KEY,
        item_code text NOT NULL,
        region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        item_name text NOT NULL,
        mode text NOT NULL CHECK (mode IN ('integrated', 'separated')),
        supervising_department text,
        claim_deadline_days int NOT NULL DEFAULT 2 CHECK (claim_deadline_days > 0),
        version int NOT NULL DEFAULT 1,
        CHECK (mode = 'integrated' OR supervising_department IS NOT NULL),
        UNIQUE (item_code, region_code)
      )`);
    await db.query(`
      CREATE TABLE supervision_task (
        id uuid PRIMARY KEY,
        approval_id uuid NOT NULL UNIQUE,
        approval_version int NOT NULL,
        correlation_id text NOT NULL,
        uscc text NOT NULL,
        item_code text NOT NULL,
        region_code text NOT NULL,
        approver_department text NOT NULL,
        assigned_department text NOT NULL,
        routing_rule text NOT NULL,
        catalog_entry_id uuid NOT NULL REFERENCES catalog_entry (id),
        catalog_version int NOT NULL,
        status text NOT NULL CHECK (status IN ('assigned', 'claimed')),
        claim_deadline timestamptz NOT NULL,
        claimed_handler text,
        claimed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX supervision_task_uscc ON supervision_task (uscc)`);
    await db.query(
      `CREATE INDEX supervision_task_open ON supervision_task (assigned_department, claim_deadline) WHERE status = 'assigned'`,
    );
    await db.query(`
      CREATE TABLE unrouted_approval (
        approval_id uuid PRIMARY KEY,
        correlation_id text NOT NULL,
        uscc text NOT NULL,
        item_code text NOT NULL,
        region_code text NOT NULL,
        approver_department text NOT NULL,
        reason text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE inspection (
        id uuid PRIMARY KEY,
        task_id uuid REFERENCES supervision_task (id),
        approval_id uuid,
        correlation_id text NOT NULL,
        uscc text NOT NULL,
        department text NOT NULL,
        inspector text NOT NULL,
        result text NOT NULL CHECK (result IN ('compliant', 'non_compliant')),
        violations jsonb NOT NULL,
        inspected_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX inspection_uscc ON inspection (uscc)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE inspection`);
    await db.query(`DROP TABLE unrouted_approval`);
    await db.query(`DROP TABLE supervision_task`);
    await db.query(`DROP TABLE catalog_entry`);
  }
}
