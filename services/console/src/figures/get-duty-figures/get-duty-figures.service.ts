import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { dailyTrend } from '../../calendar/working-hours';
import type { FiguresQuery, Grouping } from '../figures.request.dto';
import { Period, resolvePeriod } from '../period';
import type { TrendChartDay } from '../overview-charts';

/** The figures the policy documents measure a department by (000 三(四)1; 003), for one row. */
export interface DutyFigures {
  /** Tasks pushed to the department (first assignments and re-routings) in the period. */
  pushed: number;
  claimed: number;
  claimedWithinDeadline: number;
  /** Still unclaimed (and not returned or closed) with the claim deadline passed, at `asOf`. */
  overdueUnclaimed: number;
  reminded: number;
  escalated: number;
  returned: number;
  /** Pushes that were a re-routing (the task came from another department). */
  rerouted: number;
  closed: number;
  /** 关联率: pushes claimed / pushes (null when nothing was pushed). */
  associationRate: number | null;
  /** Claim time in office hours (09:00–17:00 China time, working days only). */
  medianClaimHours: number | null;
  p90ClaimHours: number | null;
  /** Supervision vacuum: approvals no catalog entry covered, decided in the period; still open / routed since. */
  vacuumOpen: number;
  vacuumRouted: number;
}

export interface DutyFiguresRow extends DutyFigures {
  key: string;
}

/** A day of the overview's trend (the shape its chart is drawn from, overview-charts.ts). */
export type TrendDay = TrendChartDay;

/** The overview page's figures: the report per department, and the rows per item. */
export interface DutyOverview extends DutyFiguresReport {
  byItem: DutyFiguresRow[];
}

export interface DutyFiguresReport {
  period: Period;
  asOf: string;
  groupBy: Grouping;
  filters: { department?: string; itemCode?: string; regionCode?: string };
  totals: DutyFigures;
  rows: DutyFiguresRow[];
  trend: TrendDay[];
}

const ASSIGNMENT_FIGURES = `
  count(*)::int AS pushed,
  count(*) FILTER (WHERE a.claimed_at IS NOT NULL)::int AS claimed,
  count(*) FILTER (WHERE a.claimed_at <= a.claim_deadline)::int AS "claimedWithinDeadline",
  count(*) FILTER (WHERE a.current AND a.status = 'assigned' AND a.claim_deadline < $3)::int AS "overdueUnclaimed",
  count(*) FILTER (WHERE a.reminded_at IS NOT NULL)::int AS reminded,
  count(*) FILTER (WHERE a.escalated_at IS NOT NULL)::int AS escalated,
  count(*) FILTER (WHERE a.returned_at IS NOT NULL)::int AS returned,
  count(*) FILTER (WHERE a.seq > 1)::int AS rerouted,
  count(*) FILTER (WHERE a.closed_at IS NOT NULL)::int AS closed,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY a.claim_working_hours) AS "medianClaimHours",
  percentile_cont(0.9) WITHIN GROUP (ORDER BY a.claim_working_hours) AS "p90ClaimHours"`;

/**
 * Per department or per item, for any period of China dates: what was pushed in the period and what
 * became of it. Read from the console's own tables (built from the events), one SQL pass per figure set.
 */
@Injectable()
export class GetDutyFiguresService {
  constructor(private readonly dataSource: DataSource) {}

  async figures(query: FiguresQuery, department: string | undefined, now = new Date(), timings?: QueryTimings): Promise<DutyFiguresReport> {
    const groupBy = query.groupBy ?? 'department';
    if (query.asOf) return this.fromRows(query, department, now);
    const { report, rowsBy } = await this.fromDays(query, department, now, [groupBy], timings);
    return { ...report, rows: rowsBy[groupBy] ?? [] };
  }

  /**
   * What the console's overview shows, in one answer: the figures per department (totals, trend, rows)
   * and the rows per item, each exactly what `figures` gives for that grouping. Now (no `asOf`), the
   * per-day tables are read once for both groupings (GROUPING SETS): half the queries of two calls.
   */
  async overview(query: FiguresQuery, department: string | undefined, now = new Date(), timings?: QueryTimings): Promise<DutyOverview> {
    if (query.asOf) {
      const [byDepartment, byItem] = await Promise.all([
        this.fromRows({ ...query, groupBy: 'department' }, department, now),
        this.fromRows({ ...query, groupBy: 'item' }, department, now),
      ]);
      return { ...byDepartment, byItem: byItem.rows };
    }
    const { report, rowsBy } = await this.fromDays(query, department, now, ['department', 'item'], timings);
    return { ...report, groupBy: 'department', rows: rowsBy.department ?? [], byItem: rowsBy.item ?? [] };
  }

  /**
   * As of now (the console's pages): the per-day tables (migration 1763800003100) for everything but
   * what depends on the instant, i.e. open assignments past their deadline (a small partial index) and
   * the supervision vacuum (few rows, carrying their approving department: migration 1763800003400).
   * The same answers as fromRows, read from a few thousand rows. The first grouping gives the totals.
   */
  private async fromDays(
    query: FiguresQuery,
    department: string | undefined,
    now: Date,
    groupings: Grouping[],
    timings: QueryTimings = [],
  ): Promise<{ report: DutyFiguresReport; rowsBy: Partial<Record<Grouping, DutyFiguresRow[]>> }> {
    const period = resolvePeriod(query.from, query.to, now);
    const filters = { department, itemCode: query.itemCode, regionCode: query.regionCode };
    // Per-day tables take China dates ($1, $2); the rest take instants ($1 start, $2 end, $3 now). Filters follow.
    const dayParams: unknown[] = [period.from, period.to];
    const instantParams: unknown[] = [period.start, period.end, now];
    const where = ['d.day >= $1::date', 'd.day <= $2::date'];
    const open = [`a.current`, `a.status = 'assigned'`, 'a.assigned_at >= $1', 'a.assigned_at < $2', 'a.claim_deadline < $3'];
    const vacuumWhere = ['v.unrouted_at >= $1', 'v.unrouted_at < $2'];
    const add = (column: string, value: string | undefined, vacuumColumn: string) => {
      if (value === undefined) return;
      dayParams.push(value);
      instantParams.push(value);
      where.push(`d.${column} = $${dayParams.length}`);
      open.push(`a.${column} = $${instantParams.length}`);
      vacuumWhere.push(`${vacuumColumn} = $${instantParams.length}`);
    };
    add('department', department, 'v.approver_department');
    add('item_code', query.itemCode, 'v.item_code');
    add('region_code', query.regionCode, 'v.region_code');
    // One grouping set per grouping; `g` says which set a row belongs to (GROUPING() is 0 for the set's own column).
    const columnOf = (grouping: Grouping) => (grouping === 'department' ? 'department' : 'item_code');
    const vacuumColumnOf = (grouping: Grouping) =>
      grouping === 'department' ? `COALESCE(v.approver_department, '(unknown)')` : 'v.item_code';
    const sets = (columns: string[]) => ({
      g: `CASE ${columns.map((column, index) => `WHEN GROUPING(${column}) = 0 THEN ${index}`).join(' ')} END AS g`,
      key: `COALESCE(${columns.join(', ')}) AS key`,
      groupBy: `GROUPING SETS (${columns.map((column) => `(${column})`).join(', ')})`,
    });
    const days = sets(groupings.map((grouping) => `d.${columnOf(grouping)}`));
    const assigned = sets(groupings.map((grouping) => `a.${columnOf(grouping)}`));
    const unrouted = sets(groupings.map(vacuumColumnOf));
    const vacuum = `FROM vacuum_approval v WHERE ${vacuumWhere.join(' AND ')}`;
    // Each query's time is noted for the Server-Timing header (bench/console.bench.ts prints it).
    const timed = async (name: string, text: string, params: unknown[]) => {
      const started = performance.now();
      const rows = await this.dataSource.query(text, params);
      timings.push([name, performance.now() - started]);
      return rows;
    };
    const sql = (name: string, text: string) => timed(name, text, dayParams);
    const live = (name: string, text: string) => timed(name, text, instantParams);

    const [counts, hours, overdue, vacuumRows, pushedByDay, claimsByDay, vacuumByDay] = await Promise.all([
      sql(
        'db-counts',
        `SELECT ${days.g}, ${days.key}, sum(d.pushed)::int AS pushed, sum(d.claimed)::int AS claimed,
             sum(d.claimed_within_deadline)::int AS "claimedWithinDeadline", sum(d.reminded)::int AS reminded,
             sum(d.escalated)::int AS escalated, sum(d.returned)::int AS returned, sum(d.rerouted)::int AS rerouted,
             sum(d.closed)::int AS closed
           FROM duty_day d WHERE ${where.join(' AND ')} GROUP BY ${days.groupBy} HAVING sum(d.pushed) > 0`,
      ),
      sql(
        'db-claim-hours',
        `SELECT g, key, hours::float8 AS hours, count FROM (
             SELECT ${days.g}, ${days.key}, d.hours, sum(d.count)::int AS count
             FROM duty_claim_hours d WHERE ${where.join(' AND ')} GROUP BY d.hours, ${days.groupBy} HAVING sum(d.count) > 0
           ) AS h ORDER BY 1, 2, 3`,
      ),
      live(
        'db-overdue',
        `SELECT ${assigned.g}, ${assigned.key}, count(*)::int AS count FROM task_assignment a WHERE ${open.join(' AND ')}
            GROUP BY ${assigned.groupBy}`,
      ),
      live(
        'db-vacuum',
        `SELECT ${unrouted.g}, ${unrouted.key}, count(*) FILTER (WHERE v.routed_at IS NULL OR v.routed_at > $3)::int AS "vacuumOpen",
             count(*) FILTER (WHERE v.routed_at <= $3)::int AS "vacuumRouted" ${vacuum} GROUP BY ${unrouted.groupBy}`,
      ),
      sql(
        'db-trend-pushed',
        `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, sum(d.pushed)::int AS count FROM duty_day d WHERE ${where.join(' AND ')} GROUP BY d.day`,
      ),
      sql(
        'db-trend-claims',
        `SELECT to_char(d.event_day, 'YYYY-MM-DD') AS day, sum(d.claimed)::int AS claimed, sum(d.escalated)::int AS escalated
           FROM duty_trend d WHERE ${where.join(' AND ')} GROUP BY d.event_day`,
      ),
      live(
        'db-trend-vacuum',
        `SELECT to_char(v.unrouted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, count(*)::int AS count ${vacuum} AND $3::timestamptz IS NOT NULL GROUP BY 1`,
      ),
    ]);

    const rowsBy: Partial<Record<Grouping, DutyFiguresRow[]>> = {};
    let totals: DutyFigures | undefined;
    groupings.forEach((grouping, index) => {
      const of = <T extends { g: number }>(list: T[]) => list.filter((row) => row.g === index);
      const histograms = new Map<string, Array<[number, number]>>();
      const all = new Map<number, number>();
      for (const row of of(hours as Array<{ g: number; key: string; hours: number; count: number }>)) {
        histograms.set(row.key, [...(histograms.get(row.key) ?? []), [row.hours, row.count]]);
        all.set(row.hours, (all.get(row.hours) ?? 0) + row.count);
      }
      const overdueByKey = new Map<string, number>(of(overdue as Array<Count & { g: number }>).map((row) => [row.key, row.count]));
      const withTimes = (row: any, histogram: Array<[number, number]>, overdueUnclaimed: number) => ({
        ...row,
        overdueUnclaimed,
        medianClaimHours: percentileOf(histogram, 0.5),
        p90ClaimHours: percentileOf(histogram, 0.9),
      });
      const rows = of(counts as Array<{ g: number; key: string; pushed: number }>)
        .map(({ g: _g, ...row }) => row)
        .sort((a, b) => b.pushed - a.pushed || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((row) => withTimes(row, histograms.get(row.key) ?? [], overdueByKey.get(row.key) ?? 0));
      const vacuumOf = of(vacuumRows as Array<{ g: number; key: string; vacuumOpen: number; vacuumRouted: number }>);
      if (index === 0)
        totals = complete(
          withTimes(
            Object.fromEntries(SUMMED.map((figure) => [figure, rows.reduce((sum, row) => sum + row[figure], 0)])),
            [...all].sort((a, b) => a[0] - b[0]),
            [...overdueByKey.values()].reduce((sum, count) => sum + count, 0),
          ),
          {
            vacuumOpen: vacuumOf.reduce((sum, row) => sum + row.vacuumOpen, 0),
            vacuumRouted: vacuumOf.reduce((sum, row) => sum + row.vacuumRouted, 0),
          },
        );
      const vacuumByKey = new Map<string, { vacuumOpen: number; vacuumRouted: number }>(vacuumOf.map((row) => [row.key, row]));
      const rowsByKey = new Map<string, any>(rows.map((row) => [row.key, row]));
      const keys = new Set<string>([...rowsByKey.keys(), ...vacuumByKey.keys()]);
      rowsBy[grouping] = [...keys].map((rowKey) => ({ key: rowKey, ...complete(rowsByKey.get(rowKey), vacuumByKey.get(rowKey)) }));
    });
    const byDay = (list: Array<{ day: string }>) => new Map(list.map((row) => [row.day, row as any]));
    const [pushed, claims, vacuumDays] = [byDay(pushedByDay), byDay(claimsByDay), byDay(vacuumByDay)];
    return {
      rowsBy,
      report: {
        period,
        asOf: now.toISOString(),
        groupBy: groupings[0],
        filters: Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)),
        totals: totals!,
        rows: rowsBy[groupings[0]]!,
        trend: dailyTrend(period, (day) => ({
          pushed: pushed.get(day)?.count ?? 0,
          claimed: claims.get(day)?.claimed ?? 0,
          escalated: claims.get(day)?.escalated ?? 0,
          vacuum: vacuumDays.get(day)?.count ?? 0,
        })),
      },
    };
  }

  /** As of any instant: every assignment of the period, read row by row (what fromDays must agree with). */
  private async fromRows(query: FiguresQuery, department: string | undefined, now: Date): Promise<DutyFiguresReport> {
    const period = resolvePeriod(query.from, query.to, now);
    const asOf = query.asOf ? new Date(query.asOf) : now;
    const groupBy = query.groupBy ?? 'department';
    const filters = { department, itemCode: query.itemCode, regionCode: query.regionCode };

    const params: unknown[] = [period.start, period.end, asOf];
    const where = ['a.assigned_at >= $1', 'a.assigned_at < $2'];
    const vacuumWhere = ['v.unrouted_at >= $1', 'v.unrouted_at < $2'];
    if (department) {
      params.push(department);
      where.push(`a.department = $${params.length}`);
      vacuumWhere.push(`f.approver_department = $${params.length}`);
    }
    if (query.itemCode) {
      params.push(query.itemCode);
      where.push(`a.item_code = $${params.length}`);
      vacuumWhere.push(`v.item_code = $${params.length}`);
    }
    if (query.regionCode) {
      params.push(query.regionCode);
      where.push(`a.region_code = $${params.length}`);
      vacuumWhere.push(`v.region_code = $${params.length}`);
    }
    const assignments = `FROM task_assignment a LEFT JOIN approval_fact f ON f.approval_id = a.approval_id WHERE ${where.join(' AND ')}`;
    const vacuum = `FROM vacuum_approval v LEFT JOIN approval_fact f ON f.approval_id = v.approval_id WHERE ${vacuumWhere.join(' AND ')}`;
    const key = groupBy === 'department' ? 'a.department' : 'a.item_code';
    const vacuumKey = groupBy === 'department' ? `COALESCE(f.approver_department, '(unknown)')` : 'v.item_code';
    const vacuumFigures = `count(*) FILTER (WHERE v.routed_at IS NULL OR v.routed_at > $3)::int AS "vacuumOpen",
                           count(*) FILTER (WHERE v.routed_at <= $3)::int AS "vacuumRouted"`;

    const [totals, rows, vacuumTotals, vacuumRows, trendRows] = await Promise.all([
      this.dataSource.query(`SELECT ${ASSIGNMENT_FIGURES} ${assignments}`, params),
      this.dataSource.query(`SELECT ${key} AS key, ${ASSIGNMENT_FIGURES} ${assignments} GROUP BY 1 ORDER BY 2 DESC, 1`, params),
      this.dataSource.query(`SELECT ${vacuumFigures} ${vacuum}`, params),
      this.dataSource.query(`SELECT ${vacuumKey} AS key, ${vacuumFigures} ${vacuum} GROUP BY 1`, params),
      this.dataSource.query(
        `SELECT day, sum(pushed)::int AS pushed, sum(claimed)::int AS claimed, sum(escalated)::int AS escalated, sum(vacuum)::int AS vacuum
         FROM (
           SELECT to_char(a.assigned_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, 1 AS pushed, 0 AS claimed, 0 AS escalated, 0 AS vacuum ${assignments}
           UNION ALL
           SELECT to_char(a.claimed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), 0, 1, 0, 0 ${assignments} AND a.claimed_at <= $3
           UNION ALL
           SELECT to_char(a.escalated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), 0, 0, 1, 0 ${assignments} AND a.escalated_at <= $3
           UNION ALL
           SELECT to_char(v.unrouted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), 0, 0, 0, 1 ${vacuum}
         ) AS events GROUP BY day`,
        params,
      ),
    ]);

    const byDay = new Map<string, TrendDay>(trendRows.map((row: TrendDay) => [row.day, row]));
    const vacuumByKey = new Map<string, { vacuumOpen: number; vacuumRouted: number }>(vacuumRows.map((row: any) => [row.key, row]));
    const keys = new Set<string>([...rows.map((row: any) => row.key), ...vacuumByKey.keys()]);
    const rowsByKey = new Map<string, any>(rows.map((row: any) => [row.key, row]));
    return {
      period,
      asOf: asOf.toISOString(),
      groupBy,
      filters: Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)),
      totals: complete(totals[0], vacuumTotals[0]),
      rows: [...keys].map((rowKey) => ({ key: rowKey, ...complete(rowsByKey.get(rowKey), vacuumByKey.get(rowKey)) })),
      trend: dailyTrend(period, (day) => ({
        pushed: byDay.get(day)?.pushed ?? 0,
        claimed: byDay.get(day)?.claimed ?? 0,
        escalated: byDay.get(day)?.escalated ?? 0,
        vacuum: byDay.get(day)?.vacuum ?? 0,
      })),
    };
  }
}

/** Each query's name and milliseconds, in the order they finished. */
export type QueryTimings = Array<[name: string, ms: number]>;

/** A Server-Timing header value (W3C Server Timing): each query, and the whole answer. */
export function serverTiming(timings: QueryTimings, totalMs: number): string {
  return [...timings, ['total', totalMs] as const].map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(', ');
}

/** Runs a figures query with its timings collected, and sets the answer's Server-Timing header from them. */
export async function withServerTiming<T>(
  response: { setHeader(name: string, value: string): unknown },
  run: (timings: QueryTimings) => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const timings: QueryTimings = [];
  const answer = await run(timings);
  response.setHeader('Server-Timing', serverTiming(timings, performance.now() - started));
  return answer;
}

interface Count {
  key: string;
  count: number;
}

const SUMMED = ['pushed', 'claimed', 'claimedWithinDeadline', 'reminded', 'escalated', 'returned', 'rerouted', 'closed'] as const;

/**
 * percentile_cont over a histogram of (value, count) in ascending value order: the value at position
 * q·(n−1) of the sorted values, interpolated between its two neighbours, as PostgreSQL computes it.
 */
export function percentileOf(histogram: Array<[number, number]>, q: number): number | null {
  const n = histogram.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return null;
  const position = q * (n - 1);
  const at = (index: number) => {
    let seen = 0;
    for (const [value, count] of histogram) {
      seen += count;
      if (index < seen) return value;
    }
    return histogram[histogram.length - 1][0];
  };
  const lower = Math.floor(position);
  const low = at(lower);
  return lower === position ? low : low + (position - lower) * (at(lower + 1) - low);
}

const round = (value: unknown) => (value === null || value === undefined ? null : Math.round(Number(value) * 100) / 100);

function complete(row: any, vacuum: any): DutyFigures {
  const pushed = row?.pushed ?? 0;
  const claimed = row?.claimed ?? 0;
  return {
    pushed,
    claimed,
    claimedWithinDeadline: row?.claimedWithinDeadline ?? 0,
    overdueUnclaimed: row?.overdueUnclaimed ?? 0,
    reminded: row?.reminded ?? 0,
    escalated: row?.escalated ?? 0,
    returned: row?.returned ?? 0,
    rerouted: row?.rerouted ?? 0,
    closed: row?.closed ?? 0,
    associationRate: pushed > 0 ? Math.round((claimed / pushed) * 10000) / 10000 : null,
    medianClaimHours: round(row?.medianClaimHours),
    p90ClaimHours: round(row?.p90ClaimHours),
    vacuumOpen: vacuum?.vacuumOpen ?? 0,
    vacuumRouted: vacuum?.vacuumRouted ?? 0,
  };
}
