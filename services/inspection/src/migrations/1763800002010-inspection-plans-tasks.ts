import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Annual plans, (joint) tasks, frozen pools, draws and the checks they produce. */
export class InspectionPlansTasks1763800002010 implements MigrationInterface {
  name = 'InspectionPlansTasks1763800002010';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE inspection_plan (
        id uuid PRIMARY KEY,
        department text NOT NULL,
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        title text NOT NULL,
        description text NOT NULL,
        status text NOT NULL CHECK (status IN ('draft', 'published')),
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        UNIQUE (department, year, title)
      )`);
    await db.query(`
      CREATE TABLE inspection_task (
        id uuid PRIMARY KEY,
        reference text NOT NULL UNIQUE,
        plan_id uuid REFERENCES inspection_plan (id),
        title text NOT NULL,
        lead_department text NOT NULL,
        status text NOT NULL CHECK (status IN ('created', 'pool_frozen', 'drawn', 'completed', 'cancelled')),
        teams jsonb NOT NULL,
        items jsonb NOT NULL,
        filters jsonb NOT NULL,
        multipliers jsonb NOT NULL DEFAULT '{}',
        exclude_inspected_within_days int,
        publish_drawn_list boolean NOT NULL DEFAULT true,
        ratios jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX inspection_task_plan ON inspection_task (plan_id)`);
    // The frozen pool: its canonical text (published as is), hash and the inspector-side inputs.
    await db.query(`
      CREATE TABLE task_pool (
        task_id uuid PRIMARY KEY REFERENCES inspection_task (id),
        canonical text NOT NULL,
        pool_hash text NOT NULL,
        size int NOT NULL,
        draw_input jsonb NOT NULL,
        frozen_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE task_draw (
        id uuid PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES inspection_task (id),
        round int NOT NULL CHECK (round >= 1),
        seed_commitment text NOT NULL CHECK (seed_commitment ~ '^[0-9a-f]{64}$'),
        seed text,
        reason text,
        committed_at timestamptz NOT NULL DEFAULT now(),
        drawn_at timestamptz,
        digest text,
        result text,
        strata jsonb,
        UNIQUE (task_id, round),
        CHECK (round = 1 OR reason IS NOT NULL)
      )`);
    await db.query(`
      CREATE TABLE inspection_check (
        id uuid PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES inspection_task (id),
        draw_id uuid NOT NULL REFERENCES task_draw (id),
        uscc text NOT NULL,
        stratum char(1) NOT NULL,
        inspectors jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'done', 'superseded')),
        deadline timestamptz NOT NULL,
        reminded_at timestamptz,
        escalated_at timestamptz,
        completed_at timestamptz,
        UNIQUE (draw_id, uscc)
      )`);
    await db.query(`CREATE INDEX inspection_check_task ON inspection_check (task_id, uscc)`);
    await db.query(`CREATE INDEX inspection_check_open ON inspection_check (deadline) WHERE status = 'pending'`);
    // One result per check and department: in a joint task each department records its own items.
    await db.query(`
      CREATE TABLE inspection_result (
        id uuid PRIMARY KEY,
        check_id uuid NOT NULL REFERENCES inspection_check (id),
        task_id uuid NOT NULL REFERENCES inspection_task (id),
        uscc text NOT NULL,
        department text NOT NULL,
        category text NOT NULL,
        item_codes text[] NOT NULL,
        inspector_ids text[] NOT NULL,
        findings text NOT NULL,
        violations jsonb NOT NULL,
        evidence_refs text[] NOT NULL,
        inspected_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        publish_by timestamptz NOT NULL,
        published_at timestamptz,
        withdraw_at timestamptz,
        withdrawn_at timestamptz,
        UNIQUE (check_id, department)
      )`);
    await db.query(`CREATE INDEX inspection_result_task ON inspection_result (task_id)`);
    await db.query(`CREATE INDEX inspection_result_unpublished ON inspection_result (publish_by) WHERE published_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['inspection_result', 'inspection_check', 'task_draw', 'task_pool', 'inspection_task', 'inspection_plan'])
      await db.query(`DROP TABLE ${table}`);
  }
}
