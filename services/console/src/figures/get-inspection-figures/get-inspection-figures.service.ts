import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { INSPECTION_STRATA } from '@backbone/contracts';
import { dailyTrend } from '../../calendar/working-hours';
import type { InspectionFiguresQuery } from '../figures.request.dto';
import { resolvePeriod } from '../period';

/** Result categories that found no problem (all others did: 发现问题). */
const NO_PROBLEM = `('no_problem', 'not_operating')`;

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** What one department (or the whole) did in random inspection in a period. */
export interface InspectionDepartmentRow {
  key: string;
  plansPublished: number;
  tasks: number;
  drawn: number;
  checksDone: number;
  checksDoneOnTime: number;
  checksOverdue: number;
  onTimeCompletionRate: number | null;
  results: number;
  problems: number;
  problemRate: number | null;
  publishedOnTime: number;
  publishedLate: number;
  awaitingPublication: number;
  awaitingPastDeadline: number;
  onTimePublicationRate: number | null;
}

export interface InspectionStratumRow {
  key: string;
  pool: number;
  drawn: number;
  samplingRate: number | null;
  checksDone: number;
  results: number;
  problems: number;
}

interface TaskRow {
  task_id: string;
  departments: string[];
  check_deadline: Date;
  drawn: number;
  done: number;
  done_on_time: number;
}

/**
 * Random-inspection (双随机、一公开) figures for a period, from the events the console consumed (ADR 0041):
 * - plans published in the period;
 * - the tasks drawn in the period (their current draw) and what became of their checks by `asOf`: done,
 *   done by the working-day deadline, past the deadline and not done; a department counts every check of
 *   every task it takes part in (a joint task's check is done when every department has recorded); the
 *   on-time rate is of the checks whose outcome is known (done, or past the deadline);
 * - the results recorded in the period, per recording department: problems found, published by their
 *   deadline (公示时限, working days from the entry), published late, awaiting publication at `asOf` and
 *   awaiting past the deadline; the on-time rate is of the results published or past their deadline;
 * - coverage: distinct entities inspected in the period over the target register at the latest draw
 *   (all, and key-supervision entities).
 */
@Injectable()
export class GetInspectionFiguresService {
  constructor(private readonly dataSource: DataSource) {}

  async figures(query: InspectionFiguresQuery, department: string | undefined, now = new Date()) {
    const period = resolvePeriod(query.from, query.to, now);
    const asOf = query.asOf ? new Date(query.asOf) : now;
    const own = department ?? null;
    const [tasks, results, plans, strata, resultStrata, register, inspected, trendRows] = await Promise.all([
      this.dataSource.query<TaskRow[]>(
        `SELECT t.task_id, t.departments, t.check_deadline,
           (SELECT coalesce(sum(s.drawn), 0) FROM inspection_task_stratum s WHERE s.task_id = t.task_id)::int AS drawn,
           (SELECT count(*) FROM inspection_result_fact r WHERE r.task_id = t.task_id AND r.check_completed_at <= $3)::int AS done,
           (SELECT count(*) FROM inspection_result_fact r WHERE r.task_id = t.task_id AND r.check_completed_at <= $3
              AND r.check_completed_at <= r.check_deadline)::int AS done_on_time
         FROM inspection_task_fact t WHERE t.drawn_at >= $1 AND t.drawn_at < $2 AND ($4::text IS NULL OR $4 = ANY (t.departments))`,
        [period.start, period.end, asOf, own],
      ),
      this.dataSource.query(
        `SELECT r.department AS key, count(*)::int AS results,
           count(*) FILTER (WHERE r.category NOT IN ${NO_PROBLEM})::int AS problems,
           count(*) FILTER (WHERE r.published_at <= $3 AND r.published_at <= r.publish_by)::int AS "publishedOnTime",
           count(*) FILTER (WHERE r.published_at <= $3 AND r.published_at > r.publish_by)::int AS "publishedLate",
           count(*) FILTER (WHERE r.published_at IS NULL OR r.published_at > $3)::int AS "awaitingPublication",
           count(*) FILTER (WHERE (r.published_at IS NULL OR r.published_at > $3) AND r.publish_by < $3)::int AS "awaitingPastDeadline"
         FROM inspection_result_fact r WHERE r.recorded_at >= $1 AND r.recorded_at < $2 AND ($4::text IS NULL OR r.department = $4)
         GROUP BY 1`,
        [period.start, period.end, asOf, own],
      ),
      this.dataSource.query(
        `SELECT department AS key, count(*)::int AS "plansPublished" FROM inspection_plan_fact
         WHERE published_at >= $1 AND published_at < $2 AND ($3::text IS NULL OR department = $3) GROUP BY 1`,
        [period.start, period.end, own],
      ),
      this.dataSource.query(
        `SELECT s.stratum AS key, sum(s.pool)::int AS pool, sum(s.drawn)::int AS drawn,
           (SELECT count(*) FROM inspection_result_fact r JOIN inspection_task_fact t2 ON t2.task_id = r.task_id
            WHERE r.stratum = s.stratum AND r.check_completed_at <= $3 AND t2.drawn_at >= $1 AND t2.drawn_at < $2
              AND ($4::text IS NULL OR $4 = ANY (t2.departments)))::int AS "checksDone"
         FROM inspection_task_stratum s JOIN inspection_task_fact t ON t.task_id = s.task_id
         WHERE t.drawn_at >= $1 AND t.drawn_at < $2 AND ($4::text IS NULL OR $4 = ANY (t.departments)) GROUP BY 1`,
        [period.start, period.end, asOf, own],
      ),
      this.dataSource.query(
        `SELECT r.stratum AS key, count(*)::int AS results, count(*) FILTER (WHERE r.category NOT IN ${NO_PROBLEM})::int AS problems
         FROM inspection_result_fact r WHERE r.recorded_at >= $1 AND r.recorded_at < $2 AND ($3::text IS NULL OR r.department = $3) GROUP BY 1`,
        [period.start, period.end, own],
      ),
      this.dataSource.query(
        `SELECT register_entities AS entities, register_key_entities AS "keyEntities" FROM inspection_task_fact
         WHERE drawn_at < $1 ORDER BY drawn_at DESC LIMIT 1`,
        [period.end],
      ),
      this.dataSource.query(INSPECTED_ENTITIES, [period.start, period.end, own]),
      this.dataSource.query(INSPECTION_TREND, [period.start, period.end, own]),
    ]);

    const rows = new Map<string, InspectionDepartmentRow>();
    const rowOf = (key: string): InspectionDepartmentRow => {
      let row = rows.get(key);
      if (!row) {
        row = emptyRow(key);
        rows.set(key, row);
      }
      return row;
    };
    const total = emptyRow('total');
    for (const task of tasks) {
      const overdue = task.check_deadline < asOf ? task.drawn - task.done : 0;
      for (const row of [total, ...task.departments.filter((d) => !own || d === own).map(rowOf)]) {
        row.tasks += 1;
        row.drawn += task.drawn;
        row.checksDone += task.done;
        row.checksDoneOnTime += task.done_on_time;
        row.checksOverdue += overdue;
      }
    }
    for (const result of results) {
      for (const row of [total, rowOf(result.key)]) {
        for (const figure of [
          'results',
          'problems',
          'publishedOnTime',
          'publishedLate',
          'awaitingPublication',
          'awaitingPastDeadline',
        ] as const)
          row[figure] += result[figure];
      }
    }
    for (const plan of plans) {
      total.plansPublished += plan.plansPublished;
      rowOf(plan.key).plansPublished += plan.plansPublished;
    }
    for (const row of [total, ...rows.values()]) {
      // Of the checks and publications whose outcome is known at asOf: done (or published), or past the deadline.
      row.onTimeCompletionRate = rate(row.checksDoneOnTime, row.checksDone + row.checksOverdue);
      row.problemRate = rate(row.problems, row.results);
      row.onTimePublicationRate = rate(row.publishedOnTime, row.publishedOnTime + row.publishedLate + row.awaitingPastDeadline);
    }
    const { key: _total, ...totals } = total;

    const byStratum = new Map<string, { pool: number; drawn: number; checksDone: number }>(strata.map((row: any) => [row.key, row]));
    const resultsByStratum = new Map<string, { results: number; problems: number }>(resultStrata.map((row: any) => [row.key, row]));
    const strataRows: InspectionStratumRow[] = INSPECTION_STRATA.map((key) => {
      const drawn = byStratum.get(key) ?? { pool: 0, drawn: 0, checksDone: 0 };
      const done = resultsByStratum.get(key) ?? { results: 0, problems: 0 };
      return {
        key,
        pool: drawn.pool,
        drawn: drawn.drawn,
        samplingRate: rate(drawn.drawn, drawn.pool),
        checksDone: drawn.checksDone,
        ...done,
      };
    });

    const registerRow = register[0] ?? { entities: 0, keyEntities: 0 };
    const byDay = new Map<string, { drawn: number; checksDone: number; results: number; published: number }>(
      trendRows.map((row: any) => [row.day, row]),
    );
    return {
      period,
      filters: department ? { department } : {},
      totals,
      rows: [...rows.values()].sort((a, b) => b.drawn - a.drawn || b.results - a.results || a.key.localeCompare(b.key)),
      strata: strataRows,
      coverage: {
        registerEntities: registerRow.entities,
        inspectedEntities: inspected[0].entities as number,
        coverage: rate(inspected[0].entities, registerRow.entities),
        registerKeyEntities: registerRow.keyEntities,
        inspectedKeyEntities: inspected[0].keyEntities as number,
        keyCoverage: rate(inspected[0].keyEntities, registerRow.keyEntities),
      },
      trend: dailyTrend(period, (day) => ({
        drawn: byDay.get(day)?.drawn ?? 0,
        checksDone: byDay.get(day)?.checksDone ?? 0,
        results: byDay.get(day)?.results ?? 0,
        published: byDay.get(day)?.published ?? 0,
      })),
      asOf: asOf.toISOString(),
    };
  }
}

function emptyRow(key: string): InspectionDepartmentRow {
  return {
    key,
    plansPublished: 0,
    tasks: 0,
    drawn: 0,
    checksDone: 0,
    checksDoneOnTime: 0,
    checksOverdue: 0,
    onTimeCompletionRate: null,
    results: 0,
    problems: 0,
    problemRate: null,
    publishedOnTime: 0,
    publishedLate: 0,
    awaitingPublication: 0,
    awaitingPastDeadline: 0,
    onTimePublicationRate: null,
  };
}

/**
 * Distinct entities inspected in the period (all, and key-supervision ones): $1, $2 the period, $3 a
 * department or null. Found by `inspection_result_fact_inspected` (ADR 0084).
 */
export const INSPECTED_ENTITIES = `SELECT count(DISTINCT uscc)::int AS entities, count(DISTINCT uscc) FILTER (WHERE stratum = 'K')::int AS "keyEntities"
  FROM inspection_result_fact WHERE inspected_at >= $1 AND inspected_at < $2 AND ($3::text IS NULL OR department = $3)`;

/**
 * The daily trend: entities drawn, checks completed, results recorded and published per China day of the
 * period ($1, $2; $3 a department or null). Each part ranges over its own column, each found by its index:
 * `inspection_task_fact_drawn`, `inspection_result_fact_check_completed`, `inspection_result_fact_recorded`,
 * `inspection_result_fact_published` (ADR 0084). A department's checks are those of its tasks, joined
 * (a task's key is unique, so no check counts twice): an EXISTS under the OR was costed as a probe of the
 * tasks per check, an estimate high enough to turn on JIT compilation (ADR 0084).
 */
export const INSPECTION_TREND = `SELECT day, sum(drawn)::int AS drawn, sum(done)::int AS "checksDone", sum(recorded)::int AS results, sum(published)::int AS published
  FROM (
    SELECT (t.drawn_at AT TIME ZONE 'Asia/Shanghai')::date::text AS day, s.drawn, 0 AS done, 0 AS recorded, 0 AS published
      FROM inspection_task_fact t JOIN inspection_task_stratum s ON s.task_id = t.task_id
      WHERE t.drawn_at >= $1 AND t.drawn_at < $2 AND ($3::text IS NULL OR $3 = ANY (t.departments))
    UNION ALL
    SELECT (r.check_completed_at AT TIME ZONE 'Asia/Shanghai')::date::text, 0, 1, 0, 0
      FROM inspection_result_fact r LEFT JOIN inspection_task_fact t ON t.task_id = r.task_id
      WHERE r.check_completed_at >= $1 AND r.check_completed_at < $2 AND ($3::text IS NULL OR $3 = ANY (t.departments))
    UNION ALL
    SELECT (r.recorded_at AT TIME ZONE 'Asia/Shanghai')::date::text, 0, 0, 1, 0 FROM inspection_result_fact r
      WHERE r.recorded_at >= $1 AND r.recorded_at < $2 AND ($3::text IS NULL OR r.department = $3)
    UNION ALL
    SELECT (r.published_at AT TIME ZONE 'Asia/Shanghai')::date::text, 0, 0, 0, 1 FROM inspection_result_fact r
      WHERE r.published_at >= $1 AND r.published_at < $2 AND ($3::text IS NULL OR r.department = $3)
  ) x GROUP BY 1`;
