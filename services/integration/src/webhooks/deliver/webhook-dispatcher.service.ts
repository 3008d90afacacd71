import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { advisoryLockKey } from '@backbone/messaging';
import { Metrics } from '@backbone/platform';
import { IntegrationConfig } from '../../integration.config';
import { hostAllowed } from '../subscribe/allowed-hosts';
import { backoffMs, signedHeaders } from './webhook-signature';

/** Rows one purge statement deletes, at most (ADR 0083). */
export const PURGE_BATCH = 1000;
/** How often the leader looks for expired deliveries once a batch found fewer than PURGE_BATCH. */
const PURGE_EVERY_MS = 60_000;

interface DueDelivery {
  id: string;
  event_id: string;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Sends the webhook deliveries. One dispatcher per service runs at a time (a PostgreSQL advisory lock,
 * like the outbox relay), so per-entity order holds across replicas.
 *
 * - Order: per subscription and entity (subject) only the oldest pending delivery is sent; the next one
 *   waits until it was delivered or dead-lettered. Different entities and subscriptions go in parallel.
 * - A delivery is marked delivered only after the receiver answered 2xx. A crash in between sends it
 *   again with the same webhook-id, which receivers deduplicate on: at least once, effectively once.
 * - A failure (non-2xx, timeout, refused connection) is retried with doubling backoff; after
 *   WEBHOOK_MAX_ATTEMPTS failures the delivery is dead (kept, re-drivable) and the entity's next
 *   delivery proceeds.
 * - The URL's host is checked against WEBHOOK_ALLOWED_HOSTS again before each attempt: a subscription
 *   registered under an earlier, wider list sends nothing once the operator has narrowed it (the attempt
 *   fails without a request, and the delivery is re-drivable if the host is allowed again).
 * - A disabled subscription's pending deliveries are kept as they are and not read by the poll; they are
 *   sent, in order, once the subscription is active again (ADR 0083).
 * - The leader also purges delivered and dead deliveries past their retention
 *   (WEBHOOK_DELIVERED_RETENTION_HOURS, WEBHOOK_DEAD_RETENTION_HOURS), a batch before a dispatch pass, on
 *   the session that holds its lock (ADR 0083).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private running = false;
  private loop?: Promise<void>;
  private runner?: QueryRunner;
  private wake?: () => void;
  private readonly lockKey = advisoryLockKey('webhook-dispatcher:integration');
  private readonly outcomes;
  /** When the leader next purges (0: at its next pass), and what the current round of batches deleted. */
  private purgeDueAt = 0;
  private purged = { delivered: 0, dead: 0 };

  constructor(
    private readonly dataSource: DataSource,
    @Inject(IntegrationConfig) private readonly config: IntegrationConfig,
    metrics: Metrics,
  ) {
    this.outcomes = metrics.counter('webhook_delivery_attempts_total', 'Webhook delivery attempts by outcome', ['outcome']);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.releaseLeadership();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (!(await this.ensureLeadership())) {
          await this.sleep(1000);
          continue;
        }
        await this.purgeIfDue();
        const sent = await this.dispatchOnce();
        failures = 0;
        if (sent === 0) await this.sleep(this.config.WEBHOOK_POLL_MS);
      } catch (error) {
        failures++;
        this.logger.warn(`webhook dispatch pass failed (${failures} in a row): ${(error as Error).message}`);
        await this.releaseLeadership();
        await this.sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  /** One pass: sends the due head of each (subscription, entity) queue, up to WEBHOOK_CONCURRENCY. */
  async dispatchOnce(): Promise<number> {
    const due: DueDelivery[] = await this.dataSource.query(DUE_DELIVERIES, [this.config.WEBHOOK_CONCURRENCY]);
    await Promise.all(due.map((delivery) => this.deliver(delivery)));
    return due.length;
  }

  /**
   * One batch of each kind of expired delivery, on the leader's session; nothing when this instance is not
   * the leader. Returns the rows deleted.
   */
  async purgeOnce(now: Date = new Date()): Promise<{ delivered: number; dead: number }> {
    const runner = this.runner;
    if (!runner) return { delivered: 0, dead: 0 };
    const before = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    // TypeORM answers a DELETE with [rows, affected count]
    const [, delivered] = await runner.query(PURGE_DELIVERED, [before(this.config.WEBHOOK_DELIVERED_RETENTION_HOURS), PURGE_BATCH]);
    const [, dead] = await runner.query(PURGE_DEAD, [before(this.config.WEBHOOK_DEAD_RETENTION_HOURS), PURGE_BATCH]);
    return { delivered, dead };
  }

  /**
   * Purges a batch when one is due. A full batch leaves more behind: the next pass purges again, so a long
   * backlog (the first purge after years of history) goes a batch per pass, between the deliveries, and is
   * logged once, when it is done. A failed purge waits PURGE_EVERY_MS, so that it cannot hold up the
   * deliveries pass after pass; it still fails the pass, since it may mean the leader's session is gone.
   */
  private async purgeIfDue(): Promise<void> {
    if (Date.now() < this.purgeDueAt) return;
    this.purgeDueAt = Date.now() + PURGE_EVERY_MS;
    const { delivered, dead } = await this.purgeOnce();
    this.purged.delivered += delivered;
    this.purged.dead += dead;
    if (delivered === PURGE_BATCH || dead === PURGE_BATCH) {
      this.purgeDueAt = 0;
      return;
    }
    if (this.purged.delivered + this.purged.dead > 0) {
      this.logger.log(`purged ${this.purged.delivered} delivered and ${this.purged.dead} dead webhook deliveries past their retention`);
    }
    this.purged = { delivered: 0, dead: 0 };
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    let status: number | null = null;
    let error: string | null = null;
    try {
      if (!hostAllowed(new URL(delivery.url).hostname, this.config.webhookAllowedHosts)) {
        throw new Error('the URL host is not on WEBHOOK_ALLOWED_HOSTS; nothing was sent');
      }
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: signedHeaders(delivery.secret, delivery.event_id, delivery.payload),
        body: delivery.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (status < 200 || status > 299) error = `the receiver answered ${status}`;
    } catch (failure) {
      const cause = (failure as { cause?: { code?: string; message?: string } }).cause;
      error = `${(failure as Error).name}: ${cause?.code ?? cause?.message ?? (failure as Error).message}`.slice(0, 500);
    }
    if (!error) {
      this.outcomes.inc({ outcome: 'delivered' });
      await this.dataSource.query(
        `UPDATE webhook_delivery SET status = 'delivered', attempts = attempts + 1, last_attempt_at = now(), last_status = $2,
           last_error = NULL, delivered_at = now() WHERE id = $1`,
        [delivery.id, status],
      );
      return;
    }
    const attempts = delivery.attempts + 1;
    const dead = attempts >= this.config.WEBHOOK_MAX_ATTEMPTS;
    this.outcomes.inc({ outcome: dead ? 'dead' : 'failed' });
    if (dead) this.logger.warn(`webhook delivery ${delivery.id} (event ${delivery.event_id}) dead after ${attempts} attempts: ${error}`);
    await this.dataSource.query(
      `UPDATE webhook_delivery SET attempts = $2, last_attempt_at = now(), last_status = $3, last_error = $4,
         status = CASE WHEN $5::boolean THEN 'dead' ELSE 'pending' END,
         dead_at = CASE WHEN $5::boolean THEN now() END,
         next_attempt_at = now() + make_interval(secs => $6::double precision / 1000)
       WHERE id = $1`,
      [delivery.id, attempts, status, error, dead, backoffMs(attempts, this.config.WEBHOOK_BACKOFF_MS, this.config.WEBHOOK_MAX_BACKOFF_MS)],
    );
  }

  private async ensureLeadership(): Promise<boolean> {
    if (this.runner) return true;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [this.lockKey]);
    if (!locked) {
      await runner.release();
      return false;
    }
    this.runner = runner;
    this.logger.log('this instance now sends the webhook deliveries');
    return true;
  }

  private async releaseLeadership(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (!runner) return;
    await runner.query(`SELECT pg_advisory_unlock($1)`, [this.lockKey]).catch(() => undefined);
    await runner.release().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/**
 * The due heads of the (subscription, entity) queues, oldest first, at most $1: a pending delivery whose
 * time has come and with no earlier pending one of its subscription and subject. Read per active
 * subscription (a disabled one's pending rows are kept, and sent once it is active again) by
 * `webhook_delivery_pending_by_subscription`, in id order, so that neither the delivered rows nor the
 * pending rows of disabled subscriptions are read (ADR 0083). The per-subscription LIMIT bounds each
 * subscription's walk; the outer ORDER BY … LIMIT picks the same rows a single ordered read would.
 */
export const DUE_DELIVERIES = `SELECT d.id, d.event_id, d.payload, d.attempts, s.url, s.secret
  FROM webhook_subscription s
  CROSS JOIN LATERAL (
    SELECT d.id, d.event_id, d.payload, d.attempts FROM webhook_delivery d
    WHERE d.subscription_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= now()
      AND NOT EXISTS (SELECT 1 FROM webhook_delivery e
                      WHERE e.subscription_id = d.subscription_id AND e.subject = d.subject
                        AND e.status = 'pending' AND e.id < d.id)
    ORDER BY d.id LIMIT $1) d
  WHERE s.status = 'active'
  ORDER BY d.id LIMIT $1`;

/**
 * One batch of delivered rows past their retention, oldest first: $1 delivered before this, $2 at most this
 * many. Found by `webhook_delivery_delivered_at`, deleted by primary key (ADR 0083). A delivered row never
 * changes again, so nothing else can be updating one.
 */
export const PURGE_DELIVERED = `DELETE FROM webhook_delivery WHERE id = ANY (ARRAY(
    SELECT id FROM webhook_delivery WHERE status = 'delivered' AND delivered_at < $1 ORDER BY delivered_at LIMIT $2))`;

/**
 * One batch of dead rows past their retention, as PURGE_DELIVERED, by `webhook_delivery_dead_at`. A dead
 * row can be re-driven meanwhile: one being re-driven is skipped, and one re-driven since the statement
 * began is read again as pending and left (FOR UPDATE re-checks the row it locks).
 */
export const PURGE_DEAD = `DELETE FROM webhook_delivery WHERE id = ANY (ARRAY(
    SELECT id FROM webhook_delivery WHERE status = 'dead' AND dead_at < $1 ORDER BY dead_at LIMIT $2 FOR UPDATE SKIP LOCKED))`;
