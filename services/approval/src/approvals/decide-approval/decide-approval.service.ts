import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ApprovalDecidedV2, ApprovalRiskReviewedV1, type RiskWarningLevel } from '@backbone/contracts';
import { Outbox, type OutboxEnvelopeRow, packTexts, type RelayMessage, relayMessage } from '@backbone/messaging';
import { DomainError, GroupCommit, isTransientError, jsonRow, Metrics, workContext, type GroupResults } from '@backbone/platform';
import { ApprovalConfig } from '../../approval.config';
import { ApprovalError } from '../../approval.errors';
import { CreditCheck } from '../../credit/credit-check.entity';
import { LOCK_ENTITIES } from '../../holds/entity-lock';
import { parseHoldItems } from '../../holds/hold-rule';
import { Approval } from '../approval.entity';
import { decidedEvent, decidedEventValidByConstruction } from '../approval-publication.service';
import { decideApplication, type ApplicationDecision, type ApplicationFacts, type DecisionPolicy, mayBeHeld } from './application-decision';
import { factColumns, factsOf, type FactsQuestion, lookupFacts, questionArrays, type RunStatement, warningsAt } from './application-facts';
import type { DecideApprovalRequest } from './decide-approval.request.dto';
import { differingFields } from './same-application';

export interface DecideApprovalResult {
  approval: Approval;
  /** False when the same application was posted before: the earlier approval is returned, nothing written. */
  created: boolean;
}

interface Application {
  department: string;
  request: DecideApprovalRequest;
  /** Set when the application arrived as an event (a sector's decision at the intake): its loop continues that correlation. */
  cause?: ApplicationCause;
}

/** The event an application arrived as: the approval keeps its correlation id, and its `decided` event names it as cause. */
export interface ApplicationCause {
  correlationId: string;
  causationId: string;
}

/** A fresh application of a group, decided. */
interface Decided {
  index: number;
  decision: ApplicationDecision;
  events: Array<OutboxEnvelopeRow<object>>;
}

/**
 * Group-commit ingest of `POST /approvals` (ADR 0026). Applications arriving within a millisecond or two
 * (or while the previous group is being written) are decided and written together, on a small pool of
 * their own with plain `pg` and prepared statements:
 *
 * 1. `existing`: the approvals already recorded under the group's (department, application number)s —
 *    a repeat gets the earlier approval (200) or a 409 naming the differing fields, and writes nothing;
 * 2. when an application could be held: BEGIN and one advisory lock per entity (sorted; see holds/);
 * 3. `facts`: credit standing, red list, open cases and the risk warnings that may apply, for all at once;
 * 4. the decisions, in Node (pure rules: application-decision.ts);
 * 5. `write`: one statement inserting the approvals (ON CONFLICT DO NOTHING: a concurrent twin loses),
 *    the credit checks, the outbox rows and the trail rows of the approvals actually inserted;
 * 6. COMMIT, the relay woken; twins that lost are answered from the winner, like a repeat.
 *
 * Without a possible hold, 2 and 6's BEGIN/COMMIT are skipped: 5 is atomic on its own, and 1 and 3 are one
 * statement (`EXISTING_WITH_FACTS`), so that a group makes two round trips to PostgreSQL, not three (ADR 0129).
 */
@Injectable()
export class DecideApprovalService implements OnModuleDestroy {
  private readonly logger = new Logger(DecideApprovalService.name);
  private readonly policy: DecisionPolicy;
  private readonly pool: Pool;
  private readonly groups: GroupCommit<Application, DecideApprovalResult>;
  private readonly approvalColumns: Array<{ property: string; column: string }>;
  private readonly checkColumns: Array<{ property: string; column: string }>;
  private readonly statements: Record<'existing' | 'existingWithFacts' | 'write', { name: string; text: string }>;
  private readonly approvalRow: (approval: object) => Record<string, unknown>;
  private readonly checkRow: (check: object) => Record<string, unknown>;

  constructor(
    dataSource: DataSource,
    private readonly outbox: Outbox,
    config: ApprovalConfig,
    metrics: Metrics,
  ) {
    this.policy = {
      holdItems: parseHoldItems(config.HOLD_ITEMS_DURING_OPEN_CASE),
      noCommitmentLevels: new Set(config.RISK_WARNING_NO_COMMITMENT_LEVELS.split(',').filter(Boolean) as RiskWarningLevel[]),
    };
    this.pool = openIngestPool(config, this.logger);
    // Where a POST's time inside approval goes: waiting for its group to leave (the linger, or every ingest
    // connection busy), then the group's write (a connection, the statements, the commit). The rest of
    // http_request_duration_seconds is before and after: body, validation, the answer (ADR 0126).
    const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
    const waited = metrics.histogram('approval_ingest_wait_seconds', 'Time an application waited for its group to be written', [], buckets);
    const wrote = metrics.histogram(
      'approval_ingest_write_seconds',
      'Time to write a group of applications (connection, statements, commit)',
      [],
      buckets,
    );
    this.groups = new GroupCommit(
      {
        lingerMs: config.INGEST_LINGER_MS,
        maxBatch: config.INGEST_MAX_BATCH,
        concurrency: config.INGEST_CONNECTIONS,
        retryAlone: (error) => !isTransientError(error),
        observe: (timing) => {
          for (const ms of timing.waited) waited.observe(ms / 1000);
          wrote.observe(timing.write / 1000);
        },
      },
      (applications) => workContext.run({}, () => this.write(applications)),
    );
    const columns = (target: typeof Approval | typeof CreditCheck) =>
      dataSource.getMetadata(target).columns.map((column) => ({ property: column.propertyName, column: column.databaseName }));
    this.approvalColumns = columns(Approval);
    this.checkColumns = columns(CreditCheck).filter(({ column }) => column !== 'id');
    this.statements = {
      existing: EXISTING,
      existingWithFacts: EXISTING_WITH_FACTS,
      write: writeStatement(this.approvalColumns, this.checkColumns),
    };
    this.approvalRow = jsonRow(this.approvalColumns);
    this.checkRow = jsonRow(this.checkColumns);
  }

  decide(department: string, request: DecideApprovalRequest, cause?: ApplicationCause): Promise<DecideApprovalResult> {
    return this.groups.submit({ department, request, ...(cause ? { cause } : {}) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.groups.drained();
    await this.pool.end();
  }

  private async write(applications: Application[]): Promise<GroupResults<DecideApprovalResult>> {
    const client = await this.pool.connect();
    let began = false;
    let broken: Error | undefined;
    try {
      const run: RunStatement = async (statement, values) => (await client.query({ ...statement, values })).rows;
      const results: Array<DecideApprovalResult | Error | undefined> = new Array(applications.length);
      // Loops, not callbacks made per call: a closure made per call loses its optimized code at each
      // major collection, and this runs for every group of POSTs (ADR 0118).
      const asked: FactsQuestion[] = [];
      let mayHoldAny = false;
      for (const { request } of applications) {
        const mayHold = mayBeHeld(this.policy, request);
        mayHoldAny ||= mayHold;
        asked.push({ uscc: request.uscc, itemCode: request.itemCode, mayBeHeld: mayHold });
      }
      // Facts read with the earlier applications cannot be of a possible hold: those are read under the
      // entities' locks, after them (holds/).
      let checkedAt = new Date();
      const { recorded, facts: factsOfAll } = mayHoldAny
        ? { recorded: await this.existing(run, applications), facts: undefined }
        : await this.existingWithFacts(run, applications, asked, checkedAt);
      const fresh: number[] = [];
      for (let index = 0; index < applications.length; index++) {
        const { department, request } = applications[index];
        const earlier = recorded.get(key(department, request.applicationNumber));
        if (earlier) results[index] = this.sameApplication(earlier, request);
        else fresh.push(index);
      }
      if (fresh.length === 0) return results as GroupResults<DecideApprovalResult>;

      let facts: ApplicationFacts[] = [];
      if (factsOfAll) for (const index of fresh) facts.push(factsOfAll[index]);
      else {
        const heldEntities: string[] = [];
        const freshAsked: FactsQuestion[] = [];
        for (const index of fresh) {
          if (asked[index].mayBeHeld) heldEntities.push(asked[index].uscc);
          freshAsked.push(asked[index]);
        }
        if (heldEntities.length > 0) {
          await client.query('BEGIN');
          began = true;
          await run(LOCK_ENTITIES, [heldEntities]);
        }
        checkedAt = new Date();
        facts = await lookupFacts(run, freshAsked, checkedAt);
      }
      const decided: Decided[] = [];
      for (let i = 0; i < fresh.length; i++) {
        const index = fresh[i];
        const { department, request, cause } = applications[index];
        try {
          const decision = decideApplication(this.policy, department, request, facts[i], checkedAt);
          if (!decision.refused && cause) decision.approval.correlationId = cause.correlationId;
          decided.push({ index, decision, events: decision.refused ? [] : this.events(decision, cause === undefined, cause?.causationId) });
        } catch (error) {
          results[index] = error as Error;
        }
      }
      const { values, messages } = this.writeValues(decided);
      // This process's relay publishes them from memory, not from bytes read back. Kept before the statement
      // is sent: it commits on its own, and the relay may find its rows before this process hears back (ADR 0116).
      for (const [eventId, message] of messages) this.outbox.keep(eventId, [message]);
      const written = await run(this.statements.write, values);
      if (began) {
        await client.query('COMMIT');
        began = false;
      }
      if (messages.length > 0) this.outbox.committed();

      const inserted = new Set<string>();
      const checkIds = new Map<number, string>();
      for (const row of written) {
        if (row.kind === 'approval') inserted.add(row.id as string);
        else checkIds.set(Number(row.n), row.id as string);
      }
      const twins: number[] = [];
      for (let position = 0; position < decided.length; position++) {
        const { index, decision } = decided[position];
        const checkId = checkIds.get(position + 1);
        if (decision.refused) results[index] = refusal(decision.check, checkId);
        else if (inserted.has(decision.approval.id)) {
          const approval = Object.assign(new Approval(), decision.approval);
          // The loop's correlation id starts here: every later log line and event of this approval carries it.
          // At debug: the approval, its trail and the caller's answer carry it; a line per approval at info
          // was a syscall per POST (ADR 0029), like the request line of a success.
          this.logger.debug(
            { correlationId: approval.correlationId, approvalId: approval.id, uscc: approval.uscc, itemCode: approval.itemCode },
            'approval recorded',
          );
          results[index] = { approval, created: true };
        } else twins.push(index);
      }
      if (twins.length > 0) {
        // The same application posted at once by someone else (or twice in this group): the winner's approval.
        const winners = await this.existing(
          run,
          twins.map((index) => applications[index]),
        );
        for (const index of twins) {
          const { department, request } = applications[index];
          const winner = winners.get(key(department, request.applicationNumber));
          results[index] = winner
            ? this.sameApplication(winner, request)
            : new Error(`application ${request.applicationNumber}: not recorded`);
        }
      }
      return results as GroupResults<DecideApprovalResult>;
    } catch (error) {
      // A connection that failed is not given back to the pool; a rollback that fails means the same.
      if (isTransientError(error)) broken = error as Error;
      if (began) await client.query('ROLLBACK').catch((rollback: Error) => (broken ??= rollback));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** The `decided` event (unless held) and the risk review (when a warning applied) of a new approval. */
  private events(
    decision: Extract<ApplicationDecision, { refused: false }>,
    fromEdge: boolean,
    causationId?: string,
  ): Array<OutboxEnvelopeRow<object>> {
    const { approval } = decision;
    const events: Array<OutboxEnvelopeRow<object>> = [];
    if (!decision.held) {
      // A POST's request was validated at the edge against rules that are the event's: its event is valid
      // by construction and not validated again (ADR 0029). A sector's decision came as an event of its own rules.
      const payloadChecked = fromEdge && decidedEventValidByConstruction(approval);
      events.push(this.outbox.envelopeRow(ApprovalDecidedV2, decidedEvent(approval, causationId), { payloadChecked }));
    }
    if (approval.riskWarning && decision.riskReviewedAt) {
      events.push(
        this.outbox.envelopeRow(ApprovalRiskReviewedV1, {
          subject: approval.uscc,
          correlationId: approval.correlationId,
          data: {
            approvalId: approval.id,
            uscc: approval.uscc,
            itemCode: approval.itemCode,
            approverDepartment: approval.approverDepartment,
            warningId: approval.riskWarning.warningId,
            level: approval.riskWarning.level,
            reviewedAt: decision.riskReviewedAt.toISOString(),
          },
        }),
      );
    }
    return events;
  }

  /** The write statement's parameters, and each event's message as the relay sends it (by event id). */
  private writeValues(decided: Decided[]): { values: unknown[]; messages: Array<[string, RelayMessage]> } {
    // Rows of one shape, dates as their JSON text (jsonRow: ADR 0104, 0107).
    // Loops, not callbacks made per call (ADR 0118).
    const approvals: Array<Record<string, unknown>> = [];
    const checks: Array<Record<string, unknown>> = [];
    const outgoing: Array<{ approvalId: string; event: OutboxEnvelopeRow<object> }> = [];
    const texts: string[] = [];
    for (const { decision, events } of decided) {
      checks.push(this.checkRow(decision.check));
      if (decision.refused) continue;
      approvals.push(this.approvalRow(decision.approval));
      for (const event of events) {
        outgoing.push({ approvalId: decision.approval.id, event });
        texts.push(JSON.stringify(event.envelope));
      }
    }
    // Each event's envelope as its bytes in one bytea parameter, taken out by offset (ADR 0092).
    const { bytes, spans } = packTexts(texts);
    const events: object[] = [];
    const messages: Array<[string, RelayMessage]> = [];
    for (let i = 0; i < outgoing.length; i++) {
      const { approvalId, event } = outgoing[i];
      events.push({
        approval_id: approvalId,
        event_id: event.eventId,
        event_type: event.eventType,
        topic: event.topic,
        message_key: event.key,
        headers: event.headers,
        correlation_id: event.correlationId,
        trail: this.outbox.recordedAtWrite(event.topic),
        at: spans[i].at,
        value_bytes: spans[i].bytes,
      });
      messages.push([event.eventId, relayMessage(event, bytes, spans[i])]);
    }
    return { values: [JSON.stringify(approvals), JSON.stringify(checks), JSON.stringify(events), bytes], messages };
  }

  private async existing(run: RunStatement, applications: Application[]): Promise<Map<string, Approval>> {
    const { departments, applicationNumbers } = keysOf(applications);
    const found = new Map<string, Approval>();
    for (const row of await run(this.statements.existing, [departments, applicationNumbers])) this.found(found, row);
    return found;
  }

  /**
   * `existing` and the facts of every application (as `lookupFacts` reads them, in the group's order) in
   * one statement. Only for a group none of whose applications could be held.
   */
  private async existingWithFacts(
    run: RunStatement,
    applications: Application[],
    asked: FactsQuestion[],
    at: Date,
  ): Promise<{ recorded: Map<string, Approval>; facts: ApplicationFacts[] }> {
    const { departments, applicationNumbers } = keysOf(applications);
    const { usccs, itemCodes } = questionArrays(asked);
    const rows = await run(this.statements.existingWithFacts, [departments, applicationNumbers, usccs, itemCodes, at]);
    const recorded = new Map<string, Approval>();
    const facts: ApplicationFacts[] = [];
    for (const row of rows) {
      if (row.id !== null) this.found(recorded, row);
      facts.push(factsOf(row, FACTS_PREFIX));
    }
    return { recorded, facts };
  }

  /** An approval read back whole (`SELECT *`), added to `found` under its department and application number. */
  private found(found: Map<string, Approval>, row: Record<string, unknown>): void {
    const approval = new Approval();
    for (const { property, column } of this.approvalColumns) (approval as unknown as Record<string, unknown>)[property] = row[column];
    found.set(key(approval.approverDepartment, approval.applicationNumber), approval);
  }

  /** A repeated application must be the same one: else 409 naming the fields that differ (nothing is written). */
  private sameApplication(recorded: Approval, request: DecideApprovalRequest): DecideApprovalResult | Error {
    const fields = differingFields(recorded, request);
    if (fields.length > 0) {
      return new DomainError(
        ApprovalError.APPLICATION_NUMBER_CONFLICT,
        `application ${recorded.applicationNumber} was recorded before with other particulars: ${fields.join(', ')}`,
        409,
        { fields, approvalId: recorded.id },
      );
    }
    return { approval: recorded, created: false };
  }
}

/**
 * The ingest's own pool (ADR 0026). Its connections run only the ingest's named statements (the two
 * lookups, the entity locks of a possible hold, the group's write), and each keeps the generic plan it is
 * prepared with (ADR 0097): left to choose, PostgreSQL planned the two lookups again for every group of a
 * few applications (0.3 ms each, four times their execution), because a generic plan over arrays of
 * unknown length looks dearer than one for three keys. The generic plans are the ones ADR 0080's spec
 * asserts: one index probe per key. The setting is a `SET` on each new connection, queued before its
 * first statement, rather than a startup option, which PgBouncer refuses (deploy/k8s/README.md).
 */
export function openIngestPool(config: ApprovalConfig, logger: Pick<Logger, 'warn'>): Pool {
  const pool = new Pool({
    host: config.DATABASE_HOST,
    port: config.DATABASE_PORT,
    user: config.DATABASE_USER,
    password: config.DATABASE_PASSWORD,
    database: config.DATABASE_NAME,
    max: config.INGEST_CONNECTIONS,
    application_name: config.DATABASE_NAME,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection that breaks (the database restarted) is dropped by the pool; the next group reconnects.
  pool.on('error', (error) => logger.warn(`ingest connection lost: ${error.message}`));
  pool.on('connect', (client) => {
    // The pool listens only while a connection is idle: one that breaks while a group holds it between
    // two statements emits 'error' on the client, which without a listener kills the process (it did,
    // in a chaos run's PostgreSQL restart). The group's next statement fails and is answered 503.
    client.on('error', (error) => logger.warn(`ingest connection lost in use: ${error.message}`));
    // Emitted before the pool hands the connection out: the group's statements queue behind this one.
    client
      .query(`SET plan_cache_mode = force_generic_plan`)
      .catch((error: Error) => logger.warn(`ingest connection setup: ${error.message}`));
  });
  return pool;
}

const key = (department: string, applicationNumber: string) => `${department}\u0000${applicationNumber}`;

function keysOf(applications: Application[]): { departments: string[]; applicationNumbers: string[] } {
  const departments: string[] = [];
  const applicationNumbers: string[] = [];
  for (const { department, request } of applications) {
    departments.push(department);
    applicationNumbers.push(request.applicationNumber);
  }
  return { departments, applicationNumbers };
}

function refusal(check: CreditCheck | Omit<CreditCheck, 'id'>, creditCheckId: string | undefined): DomainError {
  return new DomainError(check.code ?? ApprovalError.CREDIT_CHECK_REFUSED, check.reason, 422, {
    creditCheckId: creditCheckId ?? null,
    tier: check.tier,
    lists: check.lists,
    measures: check.measures,
  });
}

/**
 * The approval already recorded under a row `k`'s (department, application number), as a lateral subquery:
 * one index probe per key (approval_application), whatever the table's size. The `LIMIT 1` (the key is
 * unique, so it changes no answer) keeps the subquery from being pulled up into a plain join: without it
 * the planner, asked while the table is small, hashes the keys against a sequential scan of the whole
 * table, and the prepared statement keeps that plan as the table grows (ADR 0080).
 */
function earlierApproval(k: string): string {
  return `LATERAL (SELECT * FROM approval
                     WHERE approver_department = ${k}.department AND application_number = ${k}.application_number
                     LIMIT 1)`;
}

export const EXISTING = {
  name: 'approval-ingest-existing',
  text: `SELECT a.* FROM unnest($1::text[], $2::text[]) AS k(department, application_number)
           CROSS JOIN ${earlierApproval('k')} AS a`,
};

/** Names the facts' columns in `EXISTING_WITH_FACTS` apart from the approval's own. */
const FACTS_PREFIX = 'facts.';

/**
 * `EXISTING` and `APPLICATION_FACTS` in one statement, for a group none of whose applications could be held
 * (so no open cases are read): per application, in the group's order, its earlier approval's columns (all
 * NULL when there is none) and its facts. $1, $2: departments and application numbers; $3, $4: entities and
 * items; $5: the time of the check. The earlier approval is probed as in `EXISTING` (`earlierApproval`).
 */
export const EXISTING_WITH_FACTS = {
  name: 'approval-ingest-existing-with-facts',
  text: `
    ${warningsAt('$5')}
    SELECT e.*, ${factColumns('a', 'false', FACTS_PREFIX)}
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS a(department, application_number, uscc, item_code, n)
      LEFT JOIN ${earlierApproval('a')} AS e ON true
     ORDER BY a.n`,
};

/**
 * The group's one write. $1: approval rows, $2: credit-check rows (in decision order; a check whose
 * approval lost to a twin is not written), $3: outbox rows (with `trail`: also kept in the trail at write
 * time, ADR 0022), all JSON arrays keyed by column name; $4: the outbox rows' envelopes as bytes, each at
 * its row's `at` for `value_bytes` (ADR 0092: stored as they are, parsed once, in the materialized `events`,
 * only for the trail: an expression in a lateral subquery would be inlined into each of its six uses).
 * Returns the approvals inserted and the ids of the checks written (by position in $2).
 */
function writeStatement(
  approvalColumns: Array<{ column: string }>,
  checkColumns: Array<{ column: string }>,
): { name: string; text: string } {
  const approvalList = approvalColumns.map(({ column }) => column).join(', ');
  const approvalValues = approvalColumns
    .map(({ column }) => (column === 'created_at' || column === 'updated_at' ? 'now()' : `a.${column}`))
    .join(', ');
  const checkList = checkColumns.map(({ column }) => column).join(', ');
  return {
    name: 'approval-ingest-write',
    text: `
      WITH inserted AS (
        INSERT INTO approval (${approvalList})
        SELECT ${approvalValues} FROM json_populate_recordset(NULL::approval, $1::json) AS a
        ON CONFLICT (approver_department, application_number) DO NOTHING
        RETURNING id
      ), checks AS MATERIALIZED (
        SELECT c.ordinality AS n, nextval(pg_get_serial_sequence('credit_check', 'id')) AS id, ${checkColumns.map(({ column }) => `c.${column}`).join(', ')}
          FROM json_populate_recordset(NULL::credit_check, $2::json) WITH ORDINALITY AS c
         WHERE c.result = 'refused' OR c.approval_id IN (SELECT id FROM inserted)
      ), written_checks AS (
        INSERT INTO credit_check (id, ${checkList}) SELECT id, ${checkList} FROM checks
      ), events AS MATERIALIZED (
        SELECT e.*, substring($4::bytea FROM e.at + 1 FOR e.value_bytes) AS value,
               CASE WHEN e.trail THEN convert_from(substring($4::bytea FROM e.at + 1 FOR e.value_bytes), 'UTF8')::jsonb END AS envelope
          FROM ROWS FROM (json_to_recordset($3::json) AS (approval_id uuid, event_id text, event_type text, topic text,
               message_key text, headers jsonb, correlation_id text, trail boolean, at int, value_bytes int)) WITH ORDINALITY AS e
         WHERE e.approval_id IN (SELECT id FROM inserted)
      ), outboxed AS (
        INSERT INTO outbox (event_id, event_type, topic, message_key, value, headers, correlation_id)
        SELECT event_id, event_type, topic, message_key, value, headers, correlation_id FROM events ORDER BY ordinality
      ), trail AS (
        INSERT INTO loop_event (event_id, type, source, subject, time, correlation_id, causation_id, data)
        SELECT event_id, event_type, envelope ->> 'source', envelope ->> 'subject', (envelope ->> 'time')::timestamptz,
               envelope ->> 'correlationid', envelope ->> 'causationid', envelope -> 'data'
          FROM events WHERE trail ORDER BY ordinality
        ON CONFLICT (event_id) DO NOTHING
      )
      SELECT 'approval' AS kind, id::text AS id, NULL::bigint AS n FROM inserted
      UNION ALL SELECT 'check', id::text, n FROM checks`,
  };
}
