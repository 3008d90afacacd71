import type { SqlGauge } from '@backbone/platform';

/** This year in China (the figures' calendar), as SQL. */
const THIS_YEAR = `extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')`;
const YEAR_OF = (column: string) => `extract(year FROM ${column} AT TIME ZONE 'Asia/Shanghai')`;

/**
 * The console's random-inspection figures on /metrics (ADR 0041), read from its read model at scrape
 * time: this year's draws, checks and results per department, what is overdue now, key-entity coverage.
 */
export const CONSOLE_METRICS: SqlGauge[] = [
  {
    name: 'console_inspection_entities_drawn',
    help: 'Random inspection: entities drawn this year (current draws), per department of the task',
    labels: ['department'],
    sql: `SELECT d AS department, coalesce(sum(s.drawn), 0)::int AS value
          FROM inspection_task_fact t CROSS JOIN unnest(t.departments) AS d JOIN inspection_task_stratum s ON s.task_id = t.task_id
          WHERE ${YEAR_OF('t.drawn_at')} = ${THIS_YEAR} GROUP BY 1`,
  },
  {
    name: 'console_inspection_checks_done',
    help: 'Random inspection: checks of this year’s draws done, per department of the task',
    labels: ['department'],
    sql: `SELECT d AS department, count(*)::int AS value
          FROM inspection_result_fact r JOIN inspection_task_fact t ON t.task_id = r.task_id CROSS JOIN unnest(t.departments) AS d
          WHERE r.check_completed_at IS NOT NULL AND ${YEAR_OF('t.drawn_at')} = ${THIS_YEAR} GROUP BY 1`,
  },
  {
    name: 'console_inspection_checks_done_on_time',
    help: 'Random inspection: checks of this year’s draws done by their working-day deadline, per department of the task',
    labels: ['department'],
    sql: `SELECT d AS department, count(*)::int AS value
          FROM inspection_result_fact r JOIN inspection_task_fact t ON t.task_id = r.task_id CROSS JOIN unnest(t.departments) AS d
          WHERE r.check_completed_at <= r.check_deadline AND ${YEAR_OF('t.drawn_at')} = ${THIS_YEAR} GROUP BY 1`,
  },
  {
    name: 'console_inspection_results',
    help: 'Random inspection: results recorded this year, per recording department',
    labels: ['department'],
    sql: `SELECT department, count(*)::int AS value FROM inspection_result_fact WHERE ${YEAR_OF('recorded_at')} = ${THIS_YEAR} GROUP BY 1`,
  },
  {
    name: 'console_inspection_results_published_on_time',
    help: 'Random inspection: results recorded this year and published by their deadline (公示时限), per recording department',
    labels: ['department'],
    sql: `SELECT department, count(*)::int AS value FROM inspection_result_fact
          WHERE published_at <= publish_by AND ${YEAR_OF('recorded_at')} = ${THIS_YEAR} GROUP BY 1`,
  },
  {
    name: 'console_inspection_results_unpublished_overdue',
    help: 'Random inspection: results not published past their publication deadline now',
    sql: `SELECT count(*)::int AS value FROM inspection_result_fact WHERE published_at IS NULL AND publish_by < now()`,
  },
];
