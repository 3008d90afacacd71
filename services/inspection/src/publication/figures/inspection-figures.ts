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
 * The duty figures of random inspection per plan, department and stratum: entities drawn (current
 * draws), checks done, done by their deadline, results, results published by their deadline, results
 * that found a problem (every category but no_problem and not_operating) and the problem rate. A
 * department counts once per task it takes part in.
 */
export async function inspectionFigures(
  manager: EntityManager,
  filter: { year?: number; planId?: string; department?: string },
): Promise<FigureRow[]> {
  const rows = await manager.query(
    `WITH team AS (
       SELECT t.id AS task_id, t.plan_id, extract(year FROM t.created_at)::int AS year, team->>'department' AS department
       FROM inspection_task t CROSS JOIN jsonb_array_elements(t.teams) AS team
       WHERE ($1::int IS NULL OR extract(year FROM t.created_at)::int = $1) AND ($2::uuid IS NULL OR t.plan_id = $2)
     )
     SELECT team.year, team.plan_id AS "planId", team.department, c.stratum,
       count(DISTINCT c.id)::int AS drawn,
       count(DISTINCT c.id) FILTER (WHERE c.status = 'done')::int AS checked,
       count(DISTINCT c.id) FILTER (WHERE c.status = 'done' AND c.completed_at <= c.deadline)::int AS "completedOnTime",
       count(r.id)::int AS results,
       count(r.id) FILTER (WHERE r.published_at IS NOT NULL AND r.published_at <= r.publish_by)::int AS "publishedOnTime",
       count(r.id) FILTER (WHERE r.category NOT IN ('no_problem', 'not_operating'))::int AS problems
     FROM team
     JOIN inspection_check c ON c.task_id = team.task_id AND c.status <> 'superseded'
     LEFT JOIN inspection_result r ON r.check_id = c.id AND r.department = team.department
     WHERE ($3::text IS NULL OR team.department = $3)
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    [filter.year ?? null, filter.planId ?? null, filter.department ?? null],
  );
  return rows.map((row: Omit<FigureRow, 'problemRate'>) => ({
    ...row,
    stratum: String(row.stratum).trim(),
    problemRate: row.results > 0 ? Math.round((row.problems / row.results) * 10_000) / 10_000 : null,
  }));
}

/** Annual coverage of key-supervision entities (重点监管对象): how many of those in the pool were inspected this year. */
export async function keyCoverage(
  manager: EntityManager,
  year: number,
): Promise<{ year: number; keyEntities: number; inspected: number; coverage: number | null }> {
  const [row] = await manager.query(
    `SELECT count(*)::int AS "keyEntities",
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM inspection_result r WHERE r.uscc = t.uscc AND extract(year FROM r.inspected_at)::int = $1))::int AS inspected
     FROM target_entity t WHERE t.key_supervision AND t.status = 'active'`,
    [year],
  );
  return { year, ...row, coverage: row.keyEntities > 0 ? Math.round((row.inspected / row.keyEntities) * 10_000) / 10_000 : null };
}
