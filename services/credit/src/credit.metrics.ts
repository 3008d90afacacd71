import type { SqlGauge } from '@backbone/platform';

/** The credit service's figures on /metrics, read from its tables at scrape time. */
export const CREDIT_METRICS: SqlGauge[] = [
  {
    name: 'credit_entities',
    help: 'Entities by credit tier',
    labels: ['tier'],
    sql: `SELECT tier, count(*)::int AS value FROM credit_record GROUP BY 1`,
  },
  {
    name: 'credit_entities_listed',
    help: 'Entities on each list (blacklist, abnormal operation…)',
    labels: ['list'],
    sql: `SELECT list, count(*)::int AS value FROM credit_record, unnest(lists) AS list GROUP BY 1`,
  },
  {
    name: 'credit_records_changed_last_hour',
    help: 'Credit records whose standing changed in the last hour',
    sql: `SELECT count(*)::int AS value FROM credit_record WHERE updated_at > now() - interval '1 hour'`,
  },
  {
    name: 'credit_repairs',
    help: 'Credit repair applications by status',
    labels: ['status'],
    sql: `SELECT status, count(*)::int AS value FROM credit_repair GROUP BY 1`,
  },
  {
    name: 'credit_objections',
    help: 'Objections to credit records by status',
    labels: ['status'],
    sql: `SELECT status, count(*)::int AS value FROM credit_objection GROUP BY 1`,
  },
];
