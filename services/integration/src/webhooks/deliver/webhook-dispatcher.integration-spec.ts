import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { InProcessService, migratedTestDatabase, queryPlan, resolveInfra, waitFor } from '@backbone/testing';
import { loadIntegrationConfig } from '../../integration.config';
import { INTEGRATION_SERVICE, IntegrationModule } from '../../integration.module';
import { INTEGRATION_MIGRATIONS } from '../../migrations';
import { DUE_DELIVERIES } from './webhook-dispatcher.service';

/**
 * The dispatcher against real PostgreSQL: a subscription whose host the operator has since taken off
 * WEBHOOK_ALLOWED_HOSTS gets no request, while one on the list is delivered; a disabled subscription's
 * pending deliveries wait, and are sent once it is active again.
 */
describe('Webhook dispatcher', () => {
  let service: InProcessService;
  let receiver: Server;
  const paths: string[] = [];
  /** Each request as `path webhook-id`, in the order received. */
  const received: string[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      paths.push(request.url ?? '');
      received.push(`${request.url} ${request.headers['webhook-id']}`);
      request.resume();
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    service = await InProcessService.start({
      service: INTEGRATION_SERVICE,
      loadConfig: loadIntegrationConfig,
      module: (config) => IntegrationModule.forRoot(config),
      clients: { '320700-HOTLINE': 'test-key-hotline-12345-320700' },
      env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '50', WEBHOOK_BACKOFF_MS: '60000' },
    });
  });

  afterAll(async () => {
    await service?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('re-checks the allow-list before each attempt and sends nothing to a host taken off it', async () => {
    const port = (receiver.address() as AddressInfo).port;
    // Both rows as a subscription registered under an earlier list would have left them.
    const allowed = randomUUID();
    const removed = randomUUID();
    for (const [id, url] of [
      [allowed, `http://127.0.0.1:${port}/allowed`],
      [removed, `http://localhost:${port}/removed`],
    ]) {
      await service.dataSource.query(
        `INSERT INTO webhook_subscription (id, department, url, secret, event_types) VALUES ($1, '320700-HOTLINE', $2, 'whsec_test', '{}')`,
        [id, url],
      );
      await service.dataSource.query(
        `INSERT INTO webhook_delivery (subscription_id, event_id, event_type, subject, payload) VALUES ($1, $2, 'test.v1', 'S', '{}')`,
        [id, randomUUID()],
      );
    }
    const delivery = async (subscription: string) =>
      (
        await service.dataSource.query(`SELECT status, attempts, last_error FROM webhook_delivery WHERE subscription_id = $1`, [
          subscription,
        ])
      )[0];
    await waitFor(
      'one delivered, one refused',
      async () => (await delivery(allowed)).status === 'delivered' && (await delivery(removed)).attempts === 1,
    );
    expect(await delivery(removed)).toMatchObject({ status: 'pending', last_error: expect.stringContaining('WEBHOOK_ALLOWED_HOSTS') });
    expect(paths).toEqual(['/allowed']);
  });

  it("keeps a disabled subscription's pending deliveries unsent, and sends them in order once it is active again", async () => {
    const port = (receiver.address() as AddressInfo).port;
    const subscribe = async (path: string) => {
      const id = randomUUID();
      await service.dataSource.query(
        `INSERT INTO webhook_subscription (id, department, url, secret, event_types) VALUES ($1, '320700-HOTLINE', $2, 'whsec_test', '{}')`,
        [id, `http://127.0.0.1:${port}${path}`],
      );
      return id;
    };
    const enqueue = (subscription: string, event: string) =>
      service.dataSource.query(
        `INSERT INTO webhook_delivery (subscription_id, event_id, event_type, subject, payload) VALUES ($1, $2, 'test.v1', 'S', '{}')`,
        [subscription, event],
      );
    const paused = await subscribe('/paused');
    const disabled = await service.call('320700-HOTLINE', 'DELETE', `/webhooks/subscriptions/${paused}`);
    expect(disabled).toMatchObject({ status: 200, body: { status: 'disabled' } });
    // Left as a delivery enqueued just before the subscription was disabled would be, two of one entity.
    const [first, second] = [randomUUID(), randomUUID()];
    await enqueue(paused, first);
    await enqueue(paused, second);
    // A delivery of an active subscription enqueued after them: once it is sent, polls have passed them by.
    const active = await subscribe('/active');
    await enqueue(active, randomUUID());
    const statuses = async (subscription: string) =>
      (
        await service.dataSource.query(`SELECT status, attempts FROM webhook_delivery WHERE subscription_id = $1 ORDER BY id`, [
          subscription,
        ])
      ).map((row: { status: string; attempts: number }) => `${row.status}/${row.attempts}`);
    await waitFor('the active subscription delivered', async () => (await statuses(active)).join() === 'delivered/1');
    await new Promise((resolve) => setTimeout(resolve, 200)); // a few more polls (WEBHOOK_POLL_MS 50)
    expect(await statuses(paused)).toEqual(['pending/0', 'pending/0']);
    expect(received.filter((request) => request.startsWith('/paused'))).toEqual([]);

    // There is no API to enable a subscription again: an operator sets it active (ADR 0083).
    await service.dataSource.query(`UPDATE webhook_subscription SET status = 'active', disabled_at = NULL WHERE id = $1`, [paused]);
    await waitFor('the kept deliveries sent', async () => (await statuses(paused)).join() === 'delivered/1,delivered/1');
    expect(received.filter((request) => request.startsWith('/paused'))).toEqual([`/paused ${first}`, `/paused ${second}`]);
  });
});

/**
 * The dispatcher's statements on a delivery table that has grown: 50,000 delivered rows and 5,000
 * pending rows of disabled subscriptions, against the service's migrations (ADR 0082, 0083).
 */
describe('Webhook dispatcher statements on a large delivery table', () => {
  let db: DataSource;
  let drop: (() => Promise<void>) | undefined;
  const subscription = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

  beforeAll(async () => {
    ({ dataSource: db, drop } = await migratedTestDatabase(await resolveInfra(), 'integration_webhook_poll', INTEGRATION_MIGRATIONS));
    // Subscriptions 1–10 active, 11–20 disabled.
    await db.query(`
      INSERT INTO webhook_subscription (id, department, url, secret, event_types, status)
      SELECT ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, '320700-HOTLINE', 'http://127.0.0.1/hooks', 'whsec_test', '{}',
        CASE WHEN i <= 10 THEN 'active' ELSE 'disabled' END
      FROM generate_series(1, 20) AS i`);
    // 50,000 delivered over the last 35 days, to the active subscriptions.
    await db.query(`
      INSERT INTO webhook_delivery (subscription_id, event_id, event_type, subject, payload, status, attempts, created_at, delivered_at)
      SELECT ('00000000-0000-4000-8000-' || lpad((1 + i % 10)::text, 12, '0'))::uuid, 'delivered-' || i, 'test.v1', 'S' || i % 997, '{}',
        'delivered', 1, now() - (i % 35) * interval '1 day', now() - (i % 35) * interval '1 day'
      FROM generate_series(1, 50000) AS i`);
    // 5,000 pending, kept, of the disabled subscriptions.
    await db.query(`
      INSERT INTO webhook_delivery (subscription_id, event_id, event_type, subject, payload)
      SELECT ('00000000-0000-4000-8000-' || lpad((11 + i % 10)::text, 12, '0'))::uuid, 'paused-' || i, 'test.v1', 'S' || i % 97, '{}'
      FROM generate_series(1, 5000) AS i`);
    // Two queues of active subscriptions: A's head is due; B's head waits for its retry, and B's next waits for it.
    await db.query(
      `INSERT INTO webhook_delivery (subscription_id, event_id, event_type, subject, payload, next_attempt_at)
       VALUES ($1, 'a-1', 'test.v1', 'A', '{}', now()), ($1, 'a-2', 'test.v1', 'A', '{}', now()),
              ($2, 'b-1', 'test.v1', 'B', '{}', now() + interval '1 hour'), ($2, 'b-2', 'test.v1', 'B', '{}', now())`,
      [subscription(1), subscription(2)],
    );
    await db.query(`ANALYZE webhook_subscription`);
    await db.query(`ANALYZE webhook_delivery`);
  });

  afterAll(async () => {
    await drop?.();
  });

  it("polls by the active subscriptions' pending rows: not the delivered ones, not those of disabled subscriptions", async () => {
    const text = await queryPlan(db, DUE_DELIVERIES, [16]);
    expect(text).toContain('webhook_delivery_pending_by_subscription');
    expect(text).not.toContain('Seq Scan on webhook_delivery');

    // What one poll reads of the table: the difference in this session's own statistics (counted before
    // they are flushed) across it. A few rows, where reading by the primary key fetched 55,006.
    const { due, fetched } = await db.transaction(async (manager) => {
      const count = async () =>
        Number(
          (
            await manager.query(
              `SELECT seq_tup_read + idx_tup_fetch AS fetched FROM pg_stat_xact_user_tables WHERE relname = 'webhook_delivery'`,
            )
          )[0].fetched,
        );
      const before = await count();
      const rows = await manager.query(DUE_DELIVERIES, [16]);
      return { due: rows, fetched: (await count()) - before };
    });
    expect(due.map((row: { event_id: string }) => row.event_id)).toEqual(['a-1']);
    expect(fetched).toBeLessThan(100);
  });
});
