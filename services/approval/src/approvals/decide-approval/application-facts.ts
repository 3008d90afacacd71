import type { RiskWarningLevel, RiskWarningScopeV1 } from '@backbone/contracts';
import type { CreditStandingSnapshot } from '../../credit/credit-check';
import type { ApplicationFacts } from './application-decision';

/** Runs one statement (a TypeORM manager's `query`, or a pg client with a named, prepared statement). */
export type RunStatement = (statement: { name: string; text: string }, values: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * Everything a decision needs about a set of applications, in one statement: per application (in the
 * order given) the entity's credit standing and red-list standing, its open enforcement cases (only for
 * an application that could be held), and the active risk warnings that may cover it. The warnings are
 * narrowed in SQL — listed entity, or no item named, or the application's item named — so that Node
 * never loads the whole active set; the rule (`strongestRiskWarning`) still decides which one applies.
 */
export const APPLICATION_FACTS = {
  name: 'approval-application-facts',
  text: `
    ${warningsAt('$4')}
    SELECT a.n, ${factColumns('a', 'a.may_be_held')}
    FROM unnest($1::text[], $2::text[], $3::boolean[]) WITH ORDINALITY AS a(uscc, item_code, may_be_held, n)
    ORDER BY a.n`,
};

/**
 * The active risk warnings at a time (a parameter), as the CTE `warning` that `factColumns` reads. Materialized:
 * read once for the group, not once per application.
 */
export function warningsAt(at: string): string {
  return `WITH warning AS MATERIALIZED (
      SELECT id AS "warningId", reference, level, scope, starts_at AS "startsAt", ends_at AS "endsAt",
             raised_at AS "raisedAt", ended_at AS "endedAt"
        FROM risk_warning WHERE ended_at IS NULL AND starts_at <= ${at} AND ends_at > ${at}
    )`;
}

/**
 * An application's facts as four columns (what `factsOf` reads), for a row `a` with `uscc` and `item_code`;
 * its open cases only where the SQL `mayBeHeld` is true. `prefix` names the columns apart from the others of a
 * statement that returns more.
 */
export function factColumns(a: string, mayBeHeld: string, prefix = ''): string {
  return `
      (SELECT jsonb_build_object('tier', tier, 'lists', lists, 'measures', measures) FROM credit_standing WHERE uscc = ${a}.uscc) AS "${prefix}standing",
      (SELECT jsonb_build_object('onRedList', on_red_list, 'incentives', incentives) FROM red_list_standing WHERE uscc = ${a}.uscc) AS "${prefix}redList",
      CASE WHEN ${mayBeHeld}
        THEN ARRAY(SELECT case_id::text FROM enforcement_case_projection WHERE uscc = ${a}.uscc AND closed_at IS NULL ORDER BY opened_at)
        ELSE '{}'::text[] END AS "${prefix}openCaseIds",
      (SELECT coalesce(jsonb_agg(to_jsonb(w)), '[]'::jsonb) FROM warning w
        WHERE w.scope -> 'usccs' ? ${a}.uscc OR w.scope -> 'licenceItemCodes' = '[]'::jsonb OR w.scope -> 'licenceItemCodes' ? ${a}.item_code
      ) AS "${prefix}warnings"`;
}

interface WarningJson {
  warningId: string;
  reference: string;
  level: RiskWarningLevel;
  scope: RiskWarningScopeV1;
  startsAt: string;
  endsAt: string;
  raisedAt: string;
  endedAt: string | null;
}

/** What the facts are asked for: an application's entity and item, and whether it could be held. */
export interface FactsQuestion {
  uscc: string;
  itemCode: string;
  mayBeHeld: boolean;
}

/**
 * The facts of each application, in the order given. Loops and module functions rather than callbacks
 * made per call, which lose their optimized code at each major collection (ADR 0118).
 */
export async function lookupFacts(run: RunStatement, applications: ReadonlyArray<FactsQuestion>, at: Date): Promise<ApplicationFacts[]> {
  const { usccs, itemCodes, mayBeHeld } = questionArrays(applications);
  const rows = await run(APPLICATION_FACTS, [usccs, itemCodes, mayBeHeld, at]);
  const facts: ApplicationFacts[] = [];
  for (const row of rows) facts.push(factsOf(row));
  return facts;
}

/** The questions as the statements' array parameters, one array per field. */
export function questionArrays(questions: ReadonlyArray<FactsQuestion>): { usccs: string[]; itemCodes: string[]; mayBeHeld: boolean[] } {
  const usccs: string[] = [];
  const itemCodes: string[] = [];
  const mayBeHeld: boolean[] = [];
  for (const question of questions) {
    usccs.push(question.uscc);
    itemCodes.push(question.itemCode);
    mayBeHeld.push(question.mayBeHeld);
  }
  return { usccs, itemCodes, mayBeHeld };
}

/** The facts in a row of `factColumns(…, prefix)`. */
export function factsOf(row: Record<string, unknown>, prefix = ''): ApplicationFacts {
  return {
    standing: (row[`${prefix}standing`] as CreditStandingSnapshot | null) ?? null,
    redList: (row[`${prefix}redList`] as ApplicationFacts['redList']) ?? null,
    openCaseIds: (row[`${prefix}openCaseIds`] as string[] | null) ?? [],
    warnings: ((row[`${prefix}warnings`] as WarningJson[] | null) ?? []).map(warningOf),
  };
}

function warningOf(warning: WarningJson): ApplicationFacts['warnings'][number] {
  return {
    ...warning,
    startsAt: new Date(warning.startsAt),
    endsAt: new Date(warning.endsAt),
    raisedAt: new Date(warning.raisedAt),
    endedAt: warning.endedAt === null ? null : new Date(warning.endedAt),
  };
}
