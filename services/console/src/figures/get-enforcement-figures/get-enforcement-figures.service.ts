import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EnforcementFiguresQuery } from '../figures.request.dto';
import { resolvePeriod } from '../period';
import { PUBLICATION_WORKING_DAYS } from '../../read-model/project-loop-event/loop-projection';

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

export interface Waiting {
  key: string;
  pending: number;
  pastDeadline: number;
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * Enforcement and credit figures for a period, from the events the console consumed. "Pending" figures
 * are judged at `asOf` (default: now): requested or filed by then and not answered by then.
 */
@Injectable()
export class GetEnforcementFiguresService {
  constructor(private readonly dataSource: DataSource) {}

  async figures(query: EnforcementFiguresQuery, department: string | undefined, now = new Date()) {
    const period = resolvePeriod(query.from, query.to, now);
    const params: unknown[] = [period.start, period.end];
    let scope = '';
    if (department) {
      params.push(department);
      scope = ` AND c.department = $${params.length}`;
    }
    const opened = `FROM enforcement_case c WHERE c.opened_at >= $1 AND c.opened_at < $2${scope}`;
    const count = (sql: string, values: unknown[] = params): Promise<Count[]> => this.dataSource.query(sql, values);
    const asOf = query.asOf ? new Date(query.asOf) : now;
    const own = department ?? null;
    const [
      bySource,
      bySeverity,
      byDepartment,
      closedByOutcome,
      penaltiesByKind,
      open,
      transfers,
      tiers,
      lists,
      reviews,
      decisions,
      complaints,
      complaintsWaiting,
      requests,
    ] = await Promise.all([
      count(`SELECT c.source AS key, count(*)::int AS count ${opened} GROUP BY 1 ORDER BY 2 DESC`),
      count(`SELECT ${SEVERITY} AS key, count(*)::int AS count ${opened} GROUP BY 1 ORDER BY 2 DESC`),
      count(`SELECT c.department AS key, count(*)::int AS count ${opened} GROUP BY 1 ORDER BY 2 DESC`),
      count(CLOSED_BY_OUTCOME, [period.start, period.end, own]),
      count(PENALTIES_BY_KIND, [period.start, period.end, own]),
      this.dataSource.query(OPEN_CASES, [own]),
      count(
        `SELECT c.transfer_target AS key, count(*)::int AS count FROM enforcement_case c
         WHERE c.transfer_target IS NOT NULL AND c.opened_at >= $1 AND c.opened_at < $2${scope} GROUP BY 1`,
      ),
      // Every entity with a credit record: by nature the whole table, which no index bounds (ADR 0084).
      count(`SELECT tier AS key, count(*)::int AS count FROM entity_credit GROUP BY 1 ORDER BY 1`, []),
      count(`SELECT list AS key, count(*)::int AS count FROM entity_credit, unnest(lists) AS list GROUP BY 1 ORDER BY 1`, []),
      // 法制审核: requested and answered in the period; pending at asOf (a case closed meanwhile has none pending).
      this.dataSource.query(LEGAL_REVIEWS, [period.start, period.end, asOf, own]),
      // Penalty decisions of the period and whether each reached the public list by its deadline.
      this.dataSource.query(PUBLISHED_DECISIONS, [period.start, period.end, own]),
      // 投诉举报 of the period; waiting at asOf, and waiting past the answer deadline.
      this.dataSource.query(COMPLAINTS, [period.start, period.end, own]),
      this.dataSource.query<Waiting[]>(COMPLAINTS_WAITING, [asOf, own]),
      // 信用修复 and 异议申诉, by the department that filed them.
      this.dataSource.query(CREDIT_REQUESTS, [period.start, period.end, asOf, own]),
    ]);
    const requestsOf = (kind: string) => {
      const row = (requests as { kind: string; filed: number; answered: number; pendingNow: number }[]).find((each) => each.kind === kind);
      return { filed: row?.filed ?? 0, answered: row?.answered ?? 0, pendingNow: row?.pendingNow ?? 0 };
    };
    const [decided] = decisions as { decided: number; publishedOnTime: number; publishedLate: number }[];
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
      legalReviews: reviews[0] as { requested: number; approved: number; rejected: number; pendingNow: number },
      decisions: {
        decided: decided.decided,
        publishedOnTime: decided.publishedOnTime,
        publishedLate: decided.publishedLate,
        onTimeRate: rate(decided.publishedOnTime, decided.decided),
        deadlineWorkingDays: PUBLICATION_WORKING_DAYS,
      },
      complaints: {
        ...(complaints[0] as { registered: number; answered: number; answeredLate: number; escalated: number }),
        pendingNow: complaintsWaiting.reduce((sum, row) => sum + row.pending, 0),
        pastDeadlineNow: complaintsWaiting.reduce((sum, row) => sum + row.pastDeadline, 0),
        waitingByDepartment: complaintsWaiting,
      },
      credit: { entitiesByTier: tiers, entitiesByList: lists, repairs: requestsOf('repair'), objections: requestsOf('objection') },
      asOf: asOf.toISOString(),
    };
  }
}

// The statements below run at every refresh of the enforcement page (every 10 s for each operator who
// has it open). Each finds its rows by the index of the column it ranges over, or of the rows still
// waiting, instead of reading its table (ADR 0084). `$n::text IS NULL OR … = $n` is all departments or
// one: each call is planned with its values, so the planner drops the test that does not apply.

/** Cases closed in the period, by outcome: $1, $2 the period, $3 a department or null. */
export const CLOSED_BY_OUTCOME = `SELECT c.outcome AS key, count(*)::int AS count FROM enforcement_case c
  WHERE c.closed_at >= $1 AND c.closed_at < $2 AND ($3::text IS NULL OR c.department = $3) GROUP BY 1 ORDER BY 2 DESC`;

/** Penalties decided in the period, by kind: $1, $2 the period, $3 a department or null. */
export const PENALTIES_BY_KIND = `SELECT kind AS key, count(*)::int AS count FROM enforcement_case c, unnest(c.penalty_kinds) AS kind
  WHERE c.decided_at >= $1 AND c.decided_at < $2 AND ($3::text IS NULL OR c.department = $3) GROUP BY 1 ORDER BY 2 DESC`;

/** Cases open now, and of them undecided: $1 a department or null. The open ones are `closed_at IS NULL` in its index. */
export const OPEN_CASES = `SELECT count(*)::int AS open, count(*) FILTER (WHERE c.decided_at IS NULL)::int AS undecided
  FROM enforcement_case c WHERE c.closed_at IS NULL AND ($1::text IS NULL OR c.department = $1)`;

/**
 * 法制审核: $1, $2 the period, $3 asOf, $4 a department or null. The reviews requested or answered in the
 * period are found by their two indexes; those pending at asOf (not answered by then: unanswered, or
 * answered since) by the index of `reviewed_at`, with their case probed by its key.
 */
export const LEGAL_REVIEWS = `SELECT count(*) FILTER (WHERE r.requested_at >= $1 AND r.requested_at < $2)::int AS requested,
    count(*) FILTER (WHERE r.reviewed_at >= $1 AND r.reviewed_at < $2 AND r.outcome = 'approved')::int AS approved,
    count(*) FILTER (WHERE r.reviewed_at >= $1 AND r.reviewed_at < $2 AND r.outcome = 'rejected')::int AS rejected,
    (SELECT count(*) FROM legal_review_fact p
      WHERE p.requested_at <= $3 AND (p.reviewed_at IS NULL OR p.reviewed_at > $3) AND ($4::text IS NULL OR p.department = $4)
        AND NOT EXISTS (SELECT 1 FROM enforcement_case c WHERE c.case_id = p.case_id AND c.closed_at <= $3))::int AS "pendingNow"
  FROM legal_review_fact r
  WHERE (r.requested_at >= $1 AND r.requested_at < $2 OR r.reviewed_at >= $1 AND r.reviewed_at < $2)
    AND ($4::text IS NULL OR r.department = $4)`;

/** Penalty decisions of the period, published by their deadline or not: $1, $2 the period, $3 a department or null. */
export const PUBLISHED_DECISIONS = `SELECT count(*)::int AS decided,
    count(*) FILTER (WHERE c.decision_published_at <= c.publish_deadline)::int AS "publishedOnTime",
    count(*) FILTER (WHERE c.decision_published_at IS NULL OR c.decision_published_at > c.publish_deadline)::int AS "publishedLate"
  FROM enforcement_case c WHERE c.decided_at >= $1 AND c.decided_at < $2 AND ($3::text IS NULL OR c.department = $3)`;

/**
 * 投诉举报 registered, answered (late) and escalated in the period: $1, $2 the period, $3 a department or
 * null. The WHERE is the union of the figures' ranges, each found by its index.
 */
export const COMPLAINTS = `SELECT count(*) FILTER (WHERE registered_at >= $1 AND registered_at < $2)::int AS registered,
    count(*) FILTER (WHERE answered_at >= $1 AND answered_at < $2)::int AS answered,
    count(*) FILTER (WHERE answered_at >= $1 AND answered_at < $2 AND answered_at > answer_deadline)::int AS "answeredLate",
    count(*) FILTER (WHERE escalated_at >= $1 AND escalated_at < $2)::int AS escalated
  FROM complaint_fact
  WHERE (registered_at >= $1 AND registered_at < $2 OR answered_at >= $1 AND answered_at < $2 OR escalated_at >= $1 AND escalated_at < $2)
    AND ($3::text IS NULL OR department = $3)`;

/** Complaints waiting at $1 (not answered by then), and past their deadline, per department: $2 a department or null. */
export const COMPLAINTS_WAITING = `SELECT department AS key, count(*)::int AS pending, count(*) FILTER (WHERE answer_deadline < $1)::int AS "pastDeadline"
  FROM complaint_fact WHERE registered_at <= $1 AND (answered_at IS NULL OR answered_at > $1) AND ($2::text IS NULL OR department = $2)
  GROUP BY 1 ORDER BY 3 DESC, 2 DESC, 1`;

/**
 * 信用修复 and 异议申诉 filed and answered in the period, pending at asOf: $1, $2 the period, $3 asOf, $4 a
 * department or null. The WHERE is the union of the figures' conditions; a kind with none of these rows
 * is absent instead of zero, which the caller reads as zero.
 */
export const CREDIT_REQUESTS = `SELECT kind, count(*) FILTER (WHERE filed_at >= $1 AND filed_at < $2)::int AS filed,
    count(*) FILTER (WHERE answered_at >= $1 AND answered_at < $2)::int AS answered,
    count(*) FILTER (WHERE filed_at <= $3 AND (answered_at IS NULL OR answered_at > $3))::int AS "pendingNow"
  FROM credit_request
  WHERE (filed_at >= $1 AND filed_at < $2 OR answered_at >= $1 AND answered_at < $2 OR answered_at IS NULL OR answered_at > $3)
    AND ($4::text IS NULL OR department = $4)
  GROUP BY kind`;
