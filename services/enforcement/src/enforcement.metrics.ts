import type { SqlGauge } from '@backbone/platform';

/** The enforcement service's figures on /metrics, read from its tables at scrape time. */
export const ENFORCEMENT_METRICS: SqlGauge[] = [
  {
    name: 'enforcement_cases',
    help: 'Enforcement cases by status and department',
    labels: ['status', 'department'],
    sql: `SELECT status, department, count(*)::int AS value FROM enforcement_case GROUP BY 1, 2`,
  },
  {
    name: 'enforcement_legal_reviews_pending',
    help: 'Legal reviews (法制审核) requested and not yet answered',
    sql: `SELECT count(*)::int AS value FROM legal_review WHERE outcome IS NULL`,
  },
  {
    name: 'enforcement_complaints',
    help: 'Complaints and reports by status',
    labels: ['status'],
    sql: `SELECT status, count(*)::int AS value FROM complaint GROUP BY 1`,
  },
  {
    name: 'enforcement_complaints_overdue',
    help: 'Complaints not answered by their deadline',
    sql: `SELECT count(*)::int AS value FROM complaint WHERE status <> 'answered' AND answer_deadline < now()`,
  },
];
