import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's read model: built only from the events on the topics (never from another service's
 * tables). Every row is written in the inbox transaction of the event that caused it.
 */
export class ConsoleReadModel1763800003000 implements MigrationInterface {
  name = 'ConsoleReadModel1763800003000';

  async up(db: QueryRunner): Promise<void> {
    // Every event, as it came: the approval's trail across the services is one query on correlation_id.
    await db.query(`
      CREATE TABLE loop_event (
        event_id text PRIMARY KEY,
        event_type text NOT NULL,
        source text NOT NULL,
        subject text NOT NULL,
        correlation_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX loop_event_correlation ON loop_event (correlation_id, occurred_at)`);

    // One row per approval (decided, then changed): the push's origin, its item and region.
    await db.query(`
      CREATE TABLE approval_fact (
        approval_id uuid PRIMARY KEY,
        correlation_id text NOT NULL,
        uscc text NOT NULL,
        entity_name text NOT NULL,
        item_code text NOT NULL,
        region_code text NOT NULL,
        approver_department text NOT NULL,
        kind text NOT NULL,
        outcome text NOT NULL,
        decided_at timestamptz NOT NULL,
        version int NOT NULL
      )`);
    await db.query(`CREATE INDEX approval_fact_decided ON approval_fact (decided_at)`);

    // One row per push of a task to a department (the first assignment and every re-routing).
    await db.query(`
      CREATE TABLE task_assignment (
        task_id uuid NOT NULL,
        seq int NOT NULL,
        approval_id uuid NOT NULL,
        uscc text NOT NULL,
        item_code text NOT NULL,
        department text NOT NULL,
        routing_rule text NOT NULL,
        assigned_at timestamptz NOT NULL,
        claim_deadline timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned', 'claimed', 'returned', 'moved', 'closed')),
        claimed_at timestamptz,
        claim_handler text,
        claim_working_hours numeric(10, 2),
        reminded_at timestamptz,
        escalated_at timestamptz,
        returned_at timestamptz,
        return_reason text,
        closed_at timestamptz,
        current boolean NOT NULL DEFAULT true,
        PRIMARY KEY (task_id, seq)
      )`);
    await db.query(`CREATE INDEX task_assignment_department ON task_assignment (department, assigned_at)`);
    await db.query(`CREATE INDEX task_assignment_assigned ON task_assignment (assigned_at)`);
    await db.query(`CREATE INDEX task_assignment_open ON task_assignment (claim_deadline) WHERE current AND status = 'assigned'`);
    await db.query(`CREATE INDEX task_assignment_approval ON task_assignment (approval_id)`);

    // The supervision vacuum: approvals no catalog entry covered, and when they were routed after all.
    await db.query(`
      CREATE TABLE vacuum_approval (
        approval_id uuid PRIMARY KEY,
        uscc text NOT NULL,
        item_code text NOT NULL,
        region_code text NOT NULL,
        reason text NOT NULL,
        unrouted_at timestamptz NOT NULL,
        routed_at timestamptz,
        routed_department text
      )`);
    await db.query(`CREATE INDEX vacuum_approval_unrouted ON vacuum_approval (unrouted_at)`);

    await db.query(`
      CREATE TABLE enforcement_case (
        case_id uuid PRIMARY KEY,
        uscc text NOT NULL,
        department text NOT NULL,
        source text NOT NULL,
        approval_id uuid,
        opened_at timestamptz NOT NULL,
        decided_at timestamptz,
        penalty_kinds text[] NOT NULL DEFAULT '{}',
        licence_action text,
        transferred_to text,
        transfer_target text,
        closed_at timestamptz,
        outcome text
      )`);
    await db.query(`CREATE INDEX enforcement_case_opened ON enforcement_case (opened_at)`);

    await db.query(`
      CREATE TABLE entity_credit (
        uscc text PRIMARY KEY,
        tier text NOT NULL,
        lists text[] NOT NULL,
        measures text[] NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE entity_credit, enforcement_case, vacuum_approval, task_assignment, approval_fact, loop_event`);
  }
}
