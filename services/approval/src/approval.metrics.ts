import type { SqlGauge } from '@backbone/platform';

/** The approval service's figures on /metrics, read from its tables at scrape time. */
export const APPROVAL_METRICS: SqlGauge[] = [
  {
    name: 'approval_decisions',
    help: 'Approvals decided, by outcome and where their supervision stands',
    labels: ['outcome', 'supervision_status'],
    sql: `SELECT outcome, supervision_status, count(*)::int AS value FROM approval GROUP BY 1, 2`,
  },
  {
    name: 'approval_licences',
    help: 'Granted approvals by licence status (active, suspended, revoked…)',
    labels: ['licence_status'],
    sql: `SELECT licence_status, count(*)::int AS value FROM approval WHERE outcome = 'granted' GROUP BY 1`,
  },
];
