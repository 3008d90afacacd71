import type { EntityManager } from 'typeorm';

export interface FigureRow {
  year: number;
  planId: string | null;
  department: string;
  stratum: string;
  drawn: number;
  checked: number;
  completedOnTime: number;
  results: number;
  publishedOnTime: number;
  problems: number;
  problemRate: number | null;
}

/**
 * `column` falls in the calendar year given by the int parameter `year`, as `extract(year FROM column) =
 * year` says, but as a half-open range, which an index on the column serves and extract does not (ADR
 * 0087). Both bounds are midnight of 1 January in the session's time zone, the one extract takes the year
 * in. There is no year 0 (make_timestamptz refuses it; 1 BC is followed by AD 1): the lower bound is then
 * AD 1 and the range empty, as extract's answer was.
 */
export const yearRange = (column: string, year: string): string =>
  `${column} >= make_timestamptz(greatest(${year}, 1), 1, 1, 0, 0, 0) AND ${column} < make_timestamptz(${year} + 1, 1, 1, 0, 0, 0)`;

/**
 * The duty figures of random inspection per plan, department and stratum: entities drawn (current
 * draws), checks done, done by their deadline, results, results published by their deadline, results
 * that found a problem (every category but no_problem and not_operating) and the problem rate. A
 * department counts once per task it takes part in.
 *
 * The sweep counts the current year every 60 s. Its tasks are found by `inspection_task_created`, their
 * checks by `inspection_check_task`, each check's results by their unique (check, department) key (ADR
 * 0087). A check's results are joined before the check is repeated for each department of its task, and
 * each is counted for its own department only. PostgreSQL estimates any jsonb_array_elements at 100 rows:
 * with the departments expanded first, it expected fifty times the rows and hashed the whole result table
 * instead. The departments come from an array for the same reason (unnest is estimated at 10): at 100 per
 * check, the sort looked dear enough that it walked every check in order rather than sort the year's.
 */
export const INSPECTION_FIGURES = `WITH check_result AS (
       SELECT extract(year FROM t.created_at)::int AS year, t.plan_id, t.teams, c.id, c.stratum, c.status, c.completed_at, c.deadline,
         r.id AS result_id, r.department AS result_department, r.published_at, r.publish_by, r.category
       FROM inspection_task t
       JOIN inspection_check c ON c.task_id = t.id AND c.status <> 'superseded'
       LEFT JOIN inspection_result r ON r.check_id = c.id
       WHERE ($1::int IS NULL OR (${yearRange('t.created_at', '$1::int')})) AND ($2::uuid IS NULL OR t.plan_id = $2)
     )
     SELECT year, plan_id AS "planId", team.department, stratum,
       count(DISTINCT id)::int AS drawn,
       count(DISTINCT id) FILTER (WHERE status = 'done')::int AS checked,
       count(DISTINCT id) FILTER (WHERE status = 'done' AND completed_at <= deadline)::int AS "completedOnTime",
       count(result_id) FILTER (WHERE result_department = team.department)::int AS results,
       count(result_id) FILTER (WHERE result_department = team.department AND published_at IS NOT NULL AND published_at <= publish_by)::int
         AS "publishedOnTime",
       count(result_id) FILTER (WHERE result_department = team.department AND category NOT IN ('no_problem', 'not_operating'))::int
         AS problems
     FROM check_result CROSS JOIN unnest(ARRAY(SELECT value->>'department' FROM jsonb_array_elements(teams))) AS team(department)
     WHERE ($3::text IS NULL OR team.department = $3)
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;

export async function inspectionFigures(
  manager: EntityManager,
  filter: { year?: number; planId?: string; department?: string },
): Promise<FigureRow[]> {
  const rows = await manager.query(INSPECTION_FIGURES, [filter.year ?? null, filter.planId ?? null, filter.department ?? null]);
  return rows.map((row: Omit<FigureRow, 'problemRate'>) => ({
    ...row,
    stratum: String(row.stratum).trim(),
    problemRate: row.results > 0 ? Math.round((row.problems / row.results) * 10_000) / 10_000 : null,
  }));
}

/** Each key entity, found by `target_entity_key_active`, probes its results of the year by `inspection_result_uscc_inspected` (ADR 0087). */
export const KEY_COVERAGE = `SELECT count(*)::int AS "keyEntities",
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM inspection_result r WHERE r.uscc = t.uscc AND ${yearRange('r.inspected_at', '$1::int')}))::int AS inspected
     FROM target_entity t WHERE t.key_supervision AND t.status = 'active'`;

/** Annual coverage of key-supervision entities (重点监管对象): how many of those in the pool were inspected this year. */
export async function keyCoverage(
  manager: EntityManager,
  year: number,
): Promise<{ year: number; keyEntities: number; inspected: number; coverage: number | null }> {
  const [row] = await manager.query(KEY_COVERAGE, [year]);
  return { year, ...row, coverage: row.keyEntities > 0 ? Math.round((row.inspected / row.keyEntities) * 10_000) / 10_000 : null };
}
