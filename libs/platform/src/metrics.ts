import { Controller, Get, Header, Injectable, Provider } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Public } from './auth';

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
 * A domain figure read from the service's own tables when Prometheus scrapes (tasks by status, cases by
 * status…): the SQL returns one row per series, its label columns named as in `labels` and the figure as
 * `value`. Current state survives restarts and replicas agree (unlike a counter kept in memory). Keep
 * the query to an index or a small table: it runs on every scrape.
 */
export interface SqlGauge {
  name: string;
  help: string;
  labels?: string[];
  sql: string;
}

export const DOMAIN_METRICS = Symbol('DOMAIN_METRICS');

export function registerSqlGauges(metrics: Metrics, dataSource: DataSource, gauges: SqlGauge[]): Gauge<string>[] {
  return gauges.map(({ name, help, labels = [], sql }) => {
    const existing = metrics.registry.getSingleMetric(name) as Gauge<string> | undefined;
    if (existing) return existing;
    return new Gauge({
      name,
      help,
      labelNames: labels,
      registers: [metrics.registry],
      async collect() {
        // A failed query (database down) leaves the gauge without series; the scrape itself still answers.
        const rows: Array<Record<string, unknown>> = await dataSource.query(sql).catch(() => []);
        this.reset();
        for (const row of rows)
          this.set(Object.fromEntries(labels.map((label) => [label, String(row[label] ?? '')])), Number(row.value ?? 0));
      },
    });
  });
}

/** The provider that registers a service's domain gauges at boot. */
export function domainMetrics(gauges: SqlGauge[]): Provider {
  return {
    provide: DOMAIN_METRICS,
    useFactory: (metrics: Metrics, dataSource: DataSource) => registerSqlGauges(metrics, dataSource, gauges),
    inject: [Metrics, DataSource],
  };
}
