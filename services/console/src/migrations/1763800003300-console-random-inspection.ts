import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The random-inspection duty figures' own rows (issue #8; ADR 0041): plans published, task draws (the
 * current round, its pool and list per stratum, the register's size at the draw) and each department's
 * result with its check, deadlines and publication. Written in the inbox transaction of the event that
 * caused it, like the rest of the read model.
 */
export class ConsoleRandomInspection1763800003300 implements MigrationInterface {
  name = 'ConsoleRandomInspection1763800003300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE inspection_plan_fact (
        plan_id uuid PRIMARY KEY,
        department text NOT NULL,
        year int NOT NULL,
        title text NOT NULL,
        published_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX inspection_plan_fact_published ON inspection_plan_fact (published_at)`);

    // One row per task: its current draw (a later round replaces an earlier one).
    await db.query(`
      CREATE TABLE inspection_task_fact (
        task_id uuid PRIMARY KEY,
        reference text NOT NULL,
        plan_id uuid,
        title text NOT NULL,
        lead_department text NOT NULL,
        departments text[] NOT NULL,
        round int NOT NULL,
        drawn_at timestamptz NOT NULL,
        check_deadline timestamptz NOT NULL,
        register_entities int NOT NULL,
        register_key_entities int NOT NULL
      )`);
    await db.query(`CREATE INDEX inspection_task_fact_drawn ON inspection_task_fact (drawn_at)`);
    await db.query(`
      CREATE TABLE inspection_task_stratum (
        task_id uuid NOT NULL REFERENCES inspection_task_fact (task_id) ON DELETE CASCADE,
        stratum text NOT NULL,
        pool int NOT NULL,
        drawn int NOT NULL,
        PRIMARY KEY (task_id, stratum)
      )`);

    // One row per department's result for a drawn entity. check_completed_at: on the result that completed its check.
    await db.query(`
      CREATE TABLE inspection_result_fact (
        result_id uuid PRIMARY KEY,
        check_id uuid NOT NULL,
        task_id uuid NOT NULL,
        uscc text NOT NULL,
        department text NOT NULL,
        stratum text NOT NULL,
        category text NOT NULL,
        inspected_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        publish_by timestamptz NOT NULL,
        check_deadline timestamptz NOT NULL,
        check_completed_at timestamptz,
        published_at timestamptz
      )`);
    await db.query(`CREATE INDEX inspection_result_fact_task ON inspection_result_fact (task_id)`);
    await db.query(`CREATE INDEX inspection_result_fact_recorded ON inspection_result_fact (recorded_at)`);
    await db.query(`CREATE INDEX inspection_result_fact_unpublished ON inspection_result_fact (publish_by) WHERE published_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE inspection_result_fact, inspection_task_stratum, inspection_task_fact, inspection_plan_fact`);
  }
}
