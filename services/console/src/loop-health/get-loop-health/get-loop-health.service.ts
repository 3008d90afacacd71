import { Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { ALL_TOPICS } from '@backbone/contracts';
import { KafkaClient } from '@backbone/messaging';
import { Metrics } from '@backbone/platform';
import { ServiceCalls } from '../../service-calls';
import { parsePrometheusText, Sample } from './prometheus-text';

export interface ServiceHealth {
  service: string;
  url: string;
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }> | null;
  error?: string;
  outbox: { topic: string; unsent: number; oldestUnsentSeconds: number }[];
  deadLettersOpen: number | null;
  /** Consumer lag of the service's group, per topic (messages not yet consumed). */
  consumerLag: { topic: string; lag: number }[];
  /** Supervision only: the last reconciliation's gaps by reason. */
  reconciliationGaps?: Record<string, number>;
}

/**
 * Loop health, gathered the way an operator would: each service's /health and /metrics over HTTP, and
 * the consumer groups' lag from Kafka. Never from the services' databases.
 */
@Injectable()
export class GetLoopHealthService implements OnModuleInit {
  constructor(
    private readonly calls: ServiceCalls,
    private readonly kafka: KafkaClient,
    private readonly metrics: Metrics,
    private readonly dataSource: DataSource,
  ) {}

  /** For the alert rules: every service's consumer lag (from Kafka), and unclaimed tasks past their deadline. */
  onModuleInit(): void {
    const registers = [this.metrics.registry];
    if (this.metrics.registry.getSingleMetric('console_consumer_lag')) return;
    const consumerLag = (services: string[]) => this.consumerLag(services);
    const services = () => this.calls.services();
    const dataSource = this.dataSource;
    new Gauge({
      name: 'console_consumer_lag',
      help: 'Messages each service consumer group has not consumed yet, per topic (from Kafka)',
      labelNames: ['service', 'topic'],
      registers,
      async collect() {
        this.reset();
        const lag = await consumerLag(services()).catch(() => new Map<string, { topic: string; lag: number }[]>());
        for (const [service, rows] of lag) for (const row of rows) this.set({ service, topic: row.topic }, row.lag);
      },
    });
    new Gauge({
      name: 'console_overdue_unclaimed_tasks',
      help: 'Tasks unclaimed past their claim deadline now (超期未认领)',
      registers,
      async collect() {
        const [row] = await dataSource.query(
          `SELECT count(*) AS n FROM task_assignment WHERE current AND status = 'assigned' AND claim_deadline < now()`,
        );
        this.set(Number(row.n));
      },
    });
  }

  async health(): Promise<{ at: string; services: ServiceHealth[] }> {
    const names = this.calls.services();
    const lag = await this.consumerLag(names).catch(() => new Map<string, { topic: string; lag: number }[]>());
    const services = await Promise.all(names.map((name) => this.serviceHealth(name, this.calls.url(name), lag)));
    return { at: new Date().toISOString(), services };
  }

  private async serviceHealth(service: string, url: string, lag: Map<string, { topic: string; lag: number }[]>): Promise<ServiceHealth> {
    const result: ServiceHealth = {
      service,
      url,
      ready: false,
      checks: null,
      outbox: [],
      deadLettersOpen: null,
      consumerLag: lag.get(service) ?? [],
    };
    try {
      const health = await fetch(`${url}/health`, { signal: AbortSignal.timeout(4000) });
      const body = (await health.json().catch(() => ({}))) as { checks?: ServiceHealth['checks'] };
      result.ready = health.ok;
      result.checks = body.checks ?? null;
      const metrics = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(4000) });
      const samples = parsePrometheusText(await metrics.text());
      const of = (name: string) => samples.filter((sample: Sample) => sample.name === name);
      const oldest = new Map(of('outbox_oldest_unsent_seconds').map((sample) => [sample.labels.topic, sample.value]));
      result.outbox = of('outbox_unsent_messages').map((sample) => ({
        topic: sample.labels.topic,
        unsent: sample.value,
        oldestUnsentSeconds: Math.round(oldest.get(sample.labels.topic) ?? 0),
      }));
      result.deadLettersOpen = of('dead_letters_open')[0]?.value ?? null;
      const gaps = of('supervision_reconciliation_gaps');
      if (gaps.length > 0) result.reconciliationGaps = Object.fromEntries(gaps.map((sample) => [sample.labels.reason, sample.value]));
    } catch (error) {
      result.error = (error as Error).message;
    }
    return result;
  }

  /** Each service's consumer group (named after the service) against the topics' end offsets. */
  private async consumerLag(services: string[]): Promise<Map<string, { topic: string; lag: number }[]>> {
    const admin = await this.kafka.admin();
    const topics = ALL_TOPICS.map((topic) => this.kafka.physical(topic));
    const ends = new Map<string, number>();
    for (const topic of topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${partition.partition}`, Number(partition.high));
    }
    const result = new Map<string, { topic: string; lag: number }[]>();
    for (const service of services) {
      const groups = await admin.fetchOffsets({ groupId: this.kafka.physical(service), topics });
      result.set(
        service,
        groups
          // A topic the group never committed on is one it does not consume.
          .filter(({ partitions }) => partitions.some(({ offset }) => Number(offset) >= 0))
          .map(({ topic, partitions }) => ({
            topic: this.kafka.logical(topic),
            lag: partitions.reduce((sum, { partition, offset }) => {
              const end = ends.get(`${topic}/${partition}`) ?? 0;
              return sum + Math.max(0, end - Math.max(0, Number(offset)));
            }, 0),
          })),
      );
    }
    return result;
  }
}
