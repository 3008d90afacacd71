import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns an assignment's contribution to the per-day figures depends on. */
const CONTRIBUTION = `assigned_at, department, item_code, region_code, seq, claim_deadline, claimed_at, claim_working_hours,
  reminded_at, escalated_at, returned_at, closed_at`;

/**
 * The duty figures pre-aggregated per China day (ADR 0040): the overview reads a few thousand per-day
 * rows instead of every assignment of the period. A row trigger on task_assignment keeps them exact
 * (it takes the row's old contribution away and adds the new one), so every writer of the read model,
 * the projection or a bulk load, keeps them current without knowing they exist.
 *
 * - duty_day: per day pushed (the assignment's China date), department, item and region: the counts.
 * - duty_claim_hours: the same key and each claim time (working hours, two decimals) with its count: an
 *   exact histogram, from which the median and p90 are interpolated as percentile_cont would.
 * - duty_trend: the same key and the China date a claim or an escalation happened (the daily trend).
 *
 * The assignment carries its approval's region (kept in step with approval_fact by the projection), so
 * a region filter needs no join.
 */
export class DutyPerDay1763800003100 implements MigrationInterface {
  name = 'DutyPerDay1763800003100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE task_assignment ADD COLUMN region_code text`);
    await db.query(`UPDATE task_assignment a SET region_code = f.region_code FROM approval_fact f WHERE f.approval_id = a.approval_id`);
    await db.query(`
      CREATE TABLE duty_day (
        day date NOT NULL,
        department text NOT NULL,
        item_code text NOT NULL,
        region_code text NOT NULL,
        pushed int NOT NULL DEFAULT 0,
        claimed int NOT NULL DEFAULT 0,
        claimed_within_deadline int NOT NULL DEFAULT 0,
        reminded int NOT NULL DEFAULT 0,
        escalated int NOT NULL DEFAULT 0,
        returned int NOT NULL DEFAULT 0,
        rerouted int NOT NULL DEFAULT 0,
        closed int NOT NULL DEFAULT 0,
        PRIMARY KEY (day, department, item_code, region_code)
      )`);
    await db.query(`
      CREATE TABLE duty_claim_hours (
        day date NOT NULL,
        department text NOT NULL,
        item_code text NOT NULL,
        region_code text NOT NULL,
        hours numeric(10, 2) NOT NULL,
        count int NOT NULL DEFAULT 0,
        PRIMARY KEY (day, department, item_code, region_code, hours)
      )`);
    await db.query(`
      CREATE TABLE duty_trend (
        day date NOT NULL,
        event_day date NOT NULL,
        department text NOT NULL,
        item_code text NOT NULL,
        region_code text NOT NULL,
        claimed int NOT NULL DEFAULT 0,
        escalated int NOT NULL DEFAULT 0,
        PRIMARY KEY (day, event_day, department, item_code, region_code)
      )`);
    await db.query(`
      CREATE FUNCTION duty_apply(r task_assignment, sign int) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        d date := (r.assigned_at AT TIME ZONE 'Asia/Shanghai')::date;
        reg text := COALESCE(r.region_code, '');
      BEGIN
        INSERT INTO duty_day AS t (day, department, item_code, region_code, pushed, claimed, claimed_within_deadline, reminded,
          escalated, returned, rerouted, closed)
        VALUES (d, r.department, r.item_code, reg, sign,
          sign * (r.claimed_at IS NOT NULL)::int, sign * (COALESCE(r.claimed_at <= r.claim_deadline, false))::int,
          sign * (r.reminded_at IS NOT NULL)::int, sign * (r.escalated_at IS NOT NULL)::int, sign * (r.returned_at IS NOT NULL)::int,
          sign * (r.seq > 1)::int, sign * (r.closed_at IS NOT NULL)::int)
        ON CONFLICT (day, department, item_code, region_code) DO UPDATE SET
          pushed = t.pushed + EXCLUDED.pushed, claimed = t.claimed + EXCLUDED.claimed,
          claimed_within_deadline = t.claimed_within_deadline + EXCLUDED.claimed_within_deadline,
          reminded = t.reminded + EXCLUDED.reminded, escalated = t.escalated + EXCLUDED.escalated,
          returned = t.returned + EXCLUDED.returned, rerouted = t.rerouted + EXCLUDED.rerouted, closed = t.closed + EXCLUDED.closed;
        IF r.claim_working_hours IS NOT NULL THEN
          INSERT INTO duty_claim_hours AS t (day, department, item_code, region_code, hours, count)
          VALUES (d, r.department, r.item_code, reg, r.claim_working_hours, sign)
          ON CONFLICT (day, department, item_code, region_code, hours) DO UPDATE SET count = t.count + EXCLUDED.count;
        END IF;
        IF r.claimed_at IS NOT NULL THEN
          INSERT INTO duty_trend AS t (day, event_day, department, item_code, region_code, claimed)
          VALUES (d, (r.claimed_at AT TIME ZONE 'Asia/Shanghai')::date, r.department, r.item_code, reg, sign)
          ON CONFLICT (day, event_day, department, item_code, region_code) DO UPDATE SET claimed = t.claimed + EXCLUDED.claimed;
        END IF;
        IF r.escalated_at IS NOT NULL THEN
          INSERT INTO duty_trend AS t (day, event_day, department, item_code, region_code, escalated)
          VALUES (d, (r.escalated_at AT TIME ZONE 'Asia/Shanghai')::date, r.department, r.item_code, reg, sign)
          ON CONFLICT (day, event_day, department, item_code, region_code) DO UPDATE SET escalated = t.escalated + EXCLUDED.escalated;
        END IF;
      END $$`);
    await db.query(`
      CREATE FUNCTION duty_aggregate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND (${CONTRIBUTION.split(',')
          .map((column) => `OLD.${column.trim()}`)
          .join(', ')}) IS NOT DISTINCT FROM (${CONTRIBUTION.split(',')
          .map((column) => `NEW.${column.trim()}`)
          .join(', ')}) THEN
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM duty_apply(OLD, -1); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM duty_apply(NEW, 1); END IF;
        RETURN NULL;
      END $$`);
    await db.query(
      `CREATE TRIGGER task_assignment_duty AFTER INSERT OR UPDATE OR DELETE ON task_assignment FOR EACH ROW EXECUTE FUNCTION duty_aggregate()`,
    );
    // What was projected before this migration.
    await db.query(`SELECT duty_apply(a, 1) FROM task_assignment a`);
    // Open assignments past their deadline are counted live, from this index (few rows: the open ones).
    await db.query(`CREATE INDEX task_assignment_open_assigned ON task_assignment (assigned_at) WHERE current AND status = 'assigned'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX task_assignment_open_assigned`);
    await db.query(`DROP TRIGGER task_assignment_duty ON task_assignment`);
    await db.query(`DROP FUNCTION duty_aggregate(), duty_apply(task_assignment, int)`);
    await db.query(`DROP TABLE duty_trend, duty_claim_hours, duty_day`);
    await db.query(`ALTER TABLE task_assignment DROP COLUMN region_code`);
  }
}
