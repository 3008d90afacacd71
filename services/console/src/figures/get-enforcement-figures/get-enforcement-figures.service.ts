import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { FiguresQuery } from '../figures.request.dto';
import { resolvePeriod } from '../period';

/**
 * Severity as the decision shows it: severe (licence, business or industry measures, confiscation),
 * general (a fine), minor (warning, order to correct: the light-penalty list), undecided (no decision yet).
 */
const SEVERITY = `CASE
  WHEN c.decided_at IS NULL THEN 'undecided'
  WHEN c.penalty_kinds && ARRAY['licence_suspension','licence_revocation','business_suspension','industry_ban','confiscation'] THEN 'severe'
  WHEN 'fine' = ANY(c.penalty_kinds) THEN 'general'
  ELSE 'minor' END`;

export interface Count {
  key: string;
  count: number;
}

/** Enforcement and credit figures for a period, from the events the console consumed. */
@Injectable()
export class GetEnforcementFiguresService {
  constructor(private readonly dataSource: DataSource) {}

  async figures(query: FiguresQuery, department: string | undefined, now = new Date()) {
    const period = resolvePeriod(query.from, query.to, now);
    const params: unknown[] = [period.start, period.end];
    let scope = '';
    if (department) {
      params.push(department);
      scope = ` AND c.department = $${params.length}`;
    }
    const opened = `FROM enforcement_case c WHERE c.opened_at >= $1 AND c.opened_at < $2${scope}`;
    const count = (sql: string, values: unknown[] = params): Promise<Count[]> => this.dataSource.query(sql, values);
    const [bySource, bySeverity, byDepartment, closedByOutcome, penaltiesByKind, open, transfers, tiers, lists] = await Promise.all([
      count(`SELECT c.source AS key, count(*)::int AS count ${opened} GROUP BY 1 ORDER BY 2 DESC`),
      count(`SELECT ${SEVERITY} AS key, count(*)::int AS count ${opened} GROUP BY 1 ORDER BY 2 DESC`),
      count(`SELECT c.department AS key, count(*)::int AS count ${opened} GROUP BY 1 ORDER BY 2 DESC`),
      count(
        `SELECT c.outcome AS key, count(*)::int AS count FROM enforcement_case c
         WHERE c.closed_at >= $1 AND c.closed_at < $2${scope} GROUP BY 1 ORDER BY 2 DESC`,
      ),
      count(
        `SELECT kind AS key, count(*)::int AS count FROM enforcement_case c, unnest(c.penalty_kinds) AS kind
         WHERE c.decided_at >= $1 AND c.decided_at < $2${scope} GROUP BY 1 ORDER BY 2 DESC`,
      ),
      this.dataSource.query(
        `SELECT count(*)::int AS open, count(*) FILTER (WHERE c.decided_at IS NULL)::int AS undecided
         FROM enforcement_case c WHERE c.closed_at IS NULL${department ? ' AND c.department = $1' : ''}`,
        department ? [department] : [],
      ),
      count(
        `SELECT c.transfer_target AS key, count(*)::int AS count FROM enforcement_case c
         WHERE c.transfer_target IS NOT NULL AND c.opened_at >= $1 AND c.opened_at < $2${scope} GROUP BY 1`,
      ),
      count(`SELECT tier AS key, count(*)::int AS count FROM entity_credit GROUP BY 1 ORDER BY 1`, []),
      count(`SELECT list AS key, count(*)::int AS count FROM entity_credit, unnest(lists) AS list GROUP BY 1 ORDER BY 1`, []),
    ]);
    return {
      period,
      filters: department ? { department } : {},
      cases: {
        opened: bySource.reduce((sum, row) => sum + row.count, 0),
        openNow: open[0].open as number,
        undecidedNow: open[0].undecided as number,
        bySource,
        bySeverity,
        byDepartment,
        closedByOutcome,
        penaltiesByKind,
        transfers,
      },
      credit: { entitiesByTier: tiers, entitiesByList: lists },
    };
  }
}
