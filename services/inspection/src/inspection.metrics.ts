import type { SqlGauge } from '@backbone/platform';

/** The random-inspection service's figures on /metrics, read from its tables at scrape time. */
export const INSPECTION_METRICS: SqlGauge[] = [
  {
    name: 'inspection_plans',
    help: 'Random-inspection plans by status (draft, published)',
    labels: ['status'],
    sql: `SELECT status, count(*)::int AS value FROM inspection_plan GROUP BY 1`,
  },
  {
    name: 'inspection_tasks',
    help: 'Random-inspection tasks by status',
    labels: ['status'],
    sql: `SELECT status, count(*)::int AS value FROM inspection_task GROUP BY 1`,
  },
  {
    name: 'inspection_checks',
    help: 'Drawn entities’ checks by status (pending, done, superseded)',
    labels: ['status'],
    sql: `SELECT status, count(*)::int AS value FROM inspection_check GROUP BY 1`,
  },
  {
    name: 'inspection_checks_overdue',
    help: 'Checks still pending past their deadline',
    sql: `SELECT count(*)::int AS value FROM inspection_check WHERE status = 'pending' AND deadline < now()`,
  },
];
