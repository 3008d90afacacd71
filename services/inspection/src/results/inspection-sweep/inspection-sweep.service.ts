import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InspectionCheckOverdueV1, InspectionResultPublishedV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { Metrics, PeriodicJob, workContext } from '@backbone/platform';
import { randomUUID } from 'node:crypto';
import { InspectionConfig } from '../../inspection.config';
import { inspectionFigures, keyCoverage } from '../../publication/figures/inspection-figures';

/** Results published (and announced) per transaction. */
const PUBLISH_BATCH = 5000;

/**
 * Withdraws the published results whose publication period has ended, found by
 * `inspection_result_withdrawal_due` among those not yet withdrawn. Their ids are gathered first and the
 * rows updated by primary key (ADR 0087): the planner cannot know that the rows with a past withdraw_at are
 * nearly all withdrawn already, so it expected thousands and, for an `IN`, hashed them against a scan of
 * the whole table.
 */
export const WITHDRAW_RESULTS = `UPDATE inspection_result SET withdrawn_at = $1::timestamptz
       WHERE id = ANY (ARRAY(SELECT id FROM inspection_result WHERE withdrawn_at IS NULL AND withdraw_at <= $1::timestamptz FOR UPDATE SKIP LOCKED))
       RETURNING id`;

/**
 * The pending checks a sweep is to remind or escalate (`stamp` not yet set, `due` reached), with the
 * departments still missing. Each walks, in deadline order, a partial index that holds only the checks
 * still to stamp, not the whole backlog of checks already chased (ADR 0087).
 */
const overdueChecks = (stamp: 'reminded_at' | 'escalated_at', due: string) =>
  `SELECT c.id, c.task_id, c.uscc, c.deadline, t.reference, t.lead_department AS lead,
             ARRAY(SELECT team->>'department' FROM jsonb_array_elements(t.teams) team
                   WHERE NOT EXISTS (SELECT 1 FROM inspection_result r WHERE r.check_id = c.id AND r.department = team->>'department')) AS missing
           FROM inspection_check c JOIN inspection_task t ON t.id = c.task_id
           WHERE c.status = 'pending' AND c.${stamp} IS NULL AND ${due}
           ORDER BY c.deadline LIMIT 1000 FOR UPDATE OF c SKIP LOCKED`;

export const REMIND_CHECKS = overdueChecks('reminded_at', 'c.remind_at <= $1::timestamptz');
export const ESCALATE_CHECKS = overdueChecks('escalated_at', 'c.deadline < $1::timestamptz');

export interface SweepOutcome {
  published: number;
  withdrawn: number;
  reminded: number;
  escalated: number;
}

/**
 * The clock of random inspection: publishes recorded results (so every one is public well within
 * PUBLICATION_WORKING_DAYS of its entry), withdraws those whose period ended, reminds the departments
 * of checks nearing their working-day deadline and escalates those past it (to the lead department,
 * as events), and refreshes the Prometheus figures. Rows are claimed with SKIP LOCKED, so replicas may
 * sweep at the same time.
 */
@Injectable()
export class InspectionSweep extends PeriodicJob {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly config: InspectionConfig,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.INSPECTION_SWEEP_INTERVAL_MS;
  }

  protected async tick(now: Date): Promise<void> {
    await this.run(now);
  }

  async run(now: Date = new Date()): Promise<SweepOutcome> {
    let published = 0;
    for (;;) {
      const batch = (await this.publish(now)).length;
      published += batch;
      if (batch < PUBLISH_BATCH) break;
    }
    const [withdrawn] = await this.dataSource.query(WITHDRAW_RESULTS, [now]);
    const reminded = await this.overdue(now, 'reminder');
    const escalated = await this.overdue(now, 'escalated');
    await this.refreshMetrics(now).catch((error: Error) => this.logger.warn(`figures not refreshed: ${error.message}`));
    return { published, withdrawn: withdrawn.length, reminded, escalated };
  }

  /** Publishes every recorded result not yet public, and announces each (`result published`) in the same transaction. */
  private publish(now: Date): Promise<unknown[]> {
    return this.dataSource.transaction(async (manager) => {
      const [rows]: [{ id: string; task_id: string; uscc: string; department: string; publish_by: Date }[]] = await manager.query(
        `UPDATE inspection_result SET published_at = $1::timestamptz, withdraw_at = $1::timestamptz + make_interval(days => $2::int)
         WHERE id IN (SELECT id FROM inspection_result WHERE published_at IS NULL ORDER BY recorded_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING id, task_id, uscc, department, publish_by`,
        [now, this.config.PUBLICATION_PERIOD_DAYS, PUBLISH_BATCH],
      );
      await this.outbox.addMany(
        manager,
        rows.map((row) => ({
          eventClass: InspectionResultPublishedV1,
          event: {
            subject: row.uscc,
            correlationId: row.task_id,
            data: {
              resultId: row.id,
              inspectionTaskId: row.task_id,
              uscc: row.uscc,
              department: row.department,
              publishBy: row.publish_by.toISOString(),
              publishedAt: now.toISOString(),
            },
          },
        })),
      );
      return rows;
    });
  }

  private async overdue(now: Date, stage: 'reminder' | 'escalated'): Promise<number> {
    const column = stage === 'reminder' ? 'reminded_at' : 'escalated_at';
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string; task_id: string; uscc: string; deadline: Date; reference: string; lead: string; missing: string[] }[] =
        await manager.query(stage === 'reminder' ? REMIND_CHECKS : ESCALATE_CHECKS, [now]);
      for (const row of rows) {
        await manager.query(`UPDATE inspection_check SET ${column} = $2 WHERE id = $1`, [row.id, now]);
        await workContext.run({ correlationId: randomUUID() }, () =>
          this.outbox.add(manager, InspectionCheckOverdueV1, {
            subject: row.uscc,
            data: {
              checkId: row.id,
              inspectionTaskId: row.task_id,
              taskReference: row.reference,
              uscc: row.uscc,
              stage,
              missingDepartments: row.missing,
              leadDepartment: row.lead,
              deadline: row.deadline.toISOString(),
            },
          }),
        );
      }
      if (rows.length > 0) this.logger.log(`${rows.length} check(s): ${stage}`);
      return rows.length;
    });
  }

  private async refreshMetrics(now: Date) {
    const year = now.getUTCFullYear();
    const labels = ['department', 'stratum'];
    const gauges = {
      drawn: this.metrics.gauge('inspection_entities_drawn', 'Entities drawn this year (current draws), by department and stratum', labels),
      checked: this.metrics.gauge('inspection_checks_done', 'Checks done this year', labels),
      completedOnTime: this.metrics.gauge('inspection_checks_done_on_time', 'Checks done by their working-day deadline this year', labels),
      publishedOnTime: this.metrics.gauge(
        'inspection_results_published_on_time',
        'Results published within their deadline this year',
        labels,
      ),
      problems: this.metrics.gauge('inspection_results_with_problem', 'Results that found a problem this year', labels),
      results: this.metrics.gauge('inspection_results', 'Results recorded this year', labels),
    };
    for (const gauge of Object.values(gauges)) gauge.reset();
    const totals = new Map<string, Record<keyof typeof gauges, number>>();
    for (const row of await inspectionFigures(this.dataSource.manager, { year })) {
      const key = `${row.department}\u0000${row.stratum}`;
      const sum = totals.get(key) ?? { drawn: 0, checked: 0, completedOnTime: 0, publishedOnTime: 0, problems: 0, results: 0 };
      for (const name of Object.keys(gauges) as (keyof typeof gauges)[]) sum[name] += row[name];
      totals.set(key, sum);
    }
    for (const [key, sum] of totals) {
      const [department, stratum] = key.split('\u0000');
      for (const name of Object.keys(gauges) as (keyof typeof gauges)[]) gauges[name].set({ department, stratum }, sum[name]);
    }
    const coverage = await keyCoverage(this.dataSource.manager, year);
    this.metrics
      .gauge('inspection_key_entity_coverage_ratio', 'Share of key-supervision entities inspected this year')
      .set(coverage.coverage ?? 0);
  }
}
