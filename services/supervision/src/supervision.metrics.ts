import type { SqlGauge } from '@backbone/platform';

/** The supervision service's figures on /metrics, read from its tables at scrape time. */
export const SUPERVISION_METRICS: SqlGauge[] = [
  {
    name: 'supervision_tasks',
    help: 'Supervision tasks by status and supervising department',
    labels: ['status', 'department'],
    sql: `SELECT status, assigned_department AS department, count(*)::int AS value FROM supervision_task GROUP BY 1, 2`,
  },
  {
    name: 'supervision_tasks_overdue_unclaimed',
    help: 'Tasks still unclaimed past their claim deadline, by supervising department',
    labels: ['department'],
    sql: `SELECT assigned_department AS department, count(*)::int AS value FROM supervision_task
          WHERE status = 'assigned' AND claim_deadline < now() GROUP BY 1`,
  },
];
