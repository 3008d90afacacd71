import { Controller, Get, Header, Injectable, Logger, Provider } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, Gauge, Histogram, MetricObjectWithValues, MetricValue, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Public } from './auth';
import type { BaseServiceConfig } from './config';
import { SERVICE_CONFIG } from './tokens';

/** One Prometheus registry per service; every module adds its metrics here. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
    return (this.registry.getSingleMetric(name) as Counter<string>) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge(name: string, help: string, labelNames: string[] = []): Gauge<string> {
    return (this.registry.getSingleMetric(name) as Gauge<string>) ?? new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  histogram(name: string, help: string, labelNames: string[] = [], buckets?: number[]): Histogram<string> {
    return (
      (this.registry.getSingleMetric(name) as Histogram<string>) ??
      new Histogram({ name, help, labelNames, registers: [this.registry], ...(buckets ? { buckets } : {}) })
    );
  }
}

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

/**
 * A domain figure read from the service's own tables (tasks by status, cases by status…): the SQL returns
 * one row per series, its label columns named as in `labels` and the figure as `value`. Current state
 * survives restarts and replicas agree (unlike a counter kept in memory). Keep the query to an index or a
 * small table where it can be; a count of all rows ever recorded grows with the table, which is why the
 * readings are shared and bounded in age (`SqlGaugeReadings`, ADR 0088).
 */
export interface SqlGauge {
  name: string;
  help: string;
  labels?: string[];
  sql: string;
}

/** How often a service's SQL gauges are read, and how long one reading may take (ADR 0088). */
export interface SqlGaugeTiming {
  /** A scrape within this long of the last reading is answered from it; 0: every scrape reads. */
  maxAgeMs: number;
  /** A gauge's statement cancelled after this long: that gauge has no series until the next reading. */
  timeoutMs: number;
}

type Rows = Array<Record<string, unknown>>;
/** One reading: each gauge's rows, or the error that left it without series. */
export type SqlGaugeReading = ReadonlyMap<string, Rows | Error>;

/**
 * Reads all of a service's SQL gauges together, at most once per `maxAgeMs`, however many scrapers ask
 * (Prometheus replicas, the bench, an operator's curl) and however many gauges a scrape collects at once:
 * the gauges of one scrape wait for one reading, and the scrapes after it within `maxAgeMs` get it too.
 *
 * A reading is one connection and one read-only snapshot (REPEATABLE READ), the gauges one after the
 * other, so the figures of a scrape agree with each other and a scrape takes one pooled connection, not
 * one per gauge. Each gauge's statement runs in a savepoint under `statement_timeout`: one that is too
 * slow (a table grown past what its statement can count in time) loses its own series, not the others'.
 * A reading that fails as a whole (the database down) is not kept: the next scrape tries again.
 */
export class SqlGaugeReadings {
  private readonly logger = new Logger('SqlGauges');
  private last?: { at: number; reading: SqlGaugeReading };
  private pending?: Promise<SqlGaugeReading>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly gauges: readonly SqlGauge[],
    private readonly timing: SqlGaugeTiming,
    private readonly now: () => number = Date.now,
  ) {}

  /** The last reading if it is young enough, else the reading in progress, else a new one. */
  read(): Promise<SqlGaugeReading> {
    if (this.last && this.now() - this.last.at < this.timing.maxAgeMs) return Promise.resolve(this.last.reading);
    this.pending ??= this.readAll().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async readAll(): Promise<SqlGaugeReading> {
    const at = this.now();
    const runner = this.dataSource.createQueryRunner();
    const reading = new Map<string, Rows | Error>();
    try {
      await runner.connect();
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await runner.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(this.timing.timeoutMs))}`);
      for (const gauge of this.gauges) {
        await runner.query('SAVEPOINT gauge');
        try {
          reading.set(gauge.name, await runner.query(gauge.sql));
          await runner.query('RELEASE SAVEPOINT gauge');
        } catch (error) {
          reading.set(gauge.name, error as Error);
          this.logger.warn(`gauge ${gauge.name} not read: ${(error as Error).message}`);
          await runner.query('ROLLBACK TO SAVEPOINT gauge');
        }
      }
      await runner.query('COMMIT');
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      // Not kept: every gauge is without series for this scrape, and the next scrape reads again.
      const failed = new Map<string, Rows | Error>();
      for (const gauge of this.gauges) failed.set(gauge.name, error as Error);
      return failed;
    } finally {
      await runner.release().catch(() => undefined);
    }
    this.last = { at, reading };
    return reading;
  }
}

export const DOMAIN_METRICS = Symbol('DOMAIN_METRICS');

export function registerSqlGauges(metrics: Metrics, dataSource: DataSource, gauges: SqlGauge[], timing: SqlGaugeTiming): Gauge<string>[] {
  const existing = (name: string) => metrics.registry.getSingleMetric(name) as Gauge<string> | undefined;
  // Only the gauges registered here are read by this reading: one already registered has its own.
  const readings = new SqlGaugeReadings(
    dataSource,
    gauges.filter(({ name }) => !existing(name)),
    timing,
  );
  return gauges.map(({ name, help, labels = [] }) => existing(name) ?? new SqlGaugeMetric(name, help, labels, readings, metrics.registry));
}

/**
 * A gauge filled from the shared reading at each scrape. One that was not read (its statement failed or
 * timed out, the database down) is scraped without series, even unlabelled: prom-client would show an
 * unlabelled gauge as 0 after a reset, and "0 overdue" is not what an unread count means (an alert on
 * it would resolve; `absent()` sees the truth).
 */
class SqlGaugeMetric extends Gauge<string> {
  private unread = false;

  constructor(name: string, help: string, labels: string[], readings: SqlGaugeReadings, registry: Registry) {
    super({
      name,
      help,
      labelNames: labels,
      registers: [registry],
      collect: async () => {
        const rows = (await readings.read()).get(name);
        this.reset();
        this.unread = !Array.isArray(rows);
        if (!Array.isArray(rows)) return;
        for (const row of rows)
          this.set(Object.fromEntries(labels.map((label) => [label, String(row[label] ?? '')])), Number(row.value ?? 0));
      },
    });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<string>>> {
    const metric = await super.get();
    return this.unread ? { ...metric, values: [] } : metric;
  }
}

/** The provider that registers a service's domain gauges at boot. */
export function domainMetrics(gauges: SqlGauge[]): Provider {
  return {
    provide: DOMAIN_METRICS,
    useFactory: (metrics: Metrics, dataSource: DataSource, config: BaseServiceConfig) =>
      registerSqlGauges(metrics, dataSource, gauges, {
        maxAgeMs: config.METRICS_SQL_MAX_AGE_MS,
        timeoutMs: config.METRICS_SQL_TIMEOUT_MS,
      }),
    inject: [Metrics, DataSource, SERVICE_CONFIG],
  };
}
