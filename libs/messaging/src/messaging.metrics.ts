import { Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics } from '@backbone/platform';

/**
 * The loop's health as every service reports it on /metrics, read from its own tables when scraped:
 * outbox backlog (messages, not rows: a row may carry several, ADR 0031) and the age of its oldest
 * unsent message per topic, and open dead letters. The console's health page and the Prometheus alert
 * rules read these.
 */
@Injectable()
export class MessagingMetrics implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    const dataSource = this.dataSource;
    if (this.metrics.registry.getSingleMetric('outbox_unsent_messages')) return;
    const oldest = new Gauge({
      name: 'outbox_oldest_unsent_seconds',
      help: 'Age of the oldest outbox message not yet acknowledged by Kafka, per topic (0: none)',
      labelNames: ['topic'],
      registers,
    });
    new Gauge({
      name: 'outbox_unsent_messages',
      help: 'Outbox messages not yet acknowledged by Kafka, per topic (a row may carry several)',
      labelNames: ['topic'],
      registers,
      async collect() {
        this.reset();
        oldest.reset();
        const rows: { topic: string; unsent: string; age: string }[] = await dataSource.query(
          `SELECT topic, count(*) AS unsent, EXTRACT(EPOCH FROM now() - min(created_at)) AS age
             FROM outbox_message WHERE sent_at IS NULL GROUP BY topic`,
        );
        for (const row of rows) {
          this.set({ topic: row.topic }, Number(row.unsent));
          oldest.set({ topic: row.topic }, Math.max(0, Number(row.age)));
        }
      },
    });
    new Gauge({
      name: 'dead_letters_open',
      help: 'Dead letters not yet re-driven',
      registers,
      async collect() {
        const [row] = await dataSource.query(`SELECT count(*) AS open FROM dead_letter WHERE status = 'open'`);
        this.set(Number(row.open));
      },
    });
  }
}
