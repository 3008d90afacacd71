import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { InProcessService, migratedTestDatabase, queryPlan, resolveInfra, waitFor } from '@backbone/testing';
import { IntegrationConfig, loadIntegrationConfig } from '../../integration.config';
import { INTEGRATION_SERVICE, IntegrationModule } from '../../integration.module';
import { INTEGRATION_MIGRATIONS } from '../../migrations';
import { DUE_DELIVERIES, PURGE_BATCH, PURGE_DEAD, PURGE_DELIVERED, WebhookDispatcher } from './webhook-dispatcher.service';

/**
 * The dispatcher against real PostgreSQL: a subscription whose host the operator has since taken off
 * WEBHOOK_ALLOWED_HOSTS gets no request, while one on the list is delivered; a disabled subscription's
 * pending deliveries wait, and are sent once it is active again; deliveries past their retention are
 * purged by the leader only.
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

  it('purges, on the leader only and a batch at a time, the delivered and dead deliveries past their retention', async () => {
    const config = service.app.get(IntegrationConfig);
    // Disabled, so that its pending delivery stays pending (kept for inspection, never purged).
    const subscription = randomUUID();
    await service.dataSource.query(
      `INSERT INTO webhook_subscription (id, department, url, secret, event_types, status, disabled_at)
       VALUES ($1, '320700-HOTLINE', 'http://127.0.0.1/purged', 'whsec_test', '{}', 'disabled', now())`,
      [subscription],
    );
    // The rows' times are set, and the purge called, as of a year ahead: the leader's own purge (on the
    // clock, every minute) leaves them alone, and only the calls below delete any.
    const asOf = new Date(Date.now() + 365 * 86_400_000);
    const ago = (hours: number) => new Date(asOf.getTime() - hours * 3_600_000);
    const delivered = config.WEBHOOK_DELIVERED_RETENTION_HOURS;
    const dead = config.WEBHOOK_DEAD_RETENTION_HOURS;
    // More expired delivered rows than one batch takes; one just within its retention; a dead row past the
    // delivered rows' retention but within its own, and one past its own; a pending row older than all.
    await service.dataSource.query(
      `INSERT INTO webhook_delivery (subscription_id, event_id, event_type, subject, payload, status, attempts, created_at, delivered_at)
       SELECT $1, 'delivered-old-' || i, 'test.v1', 'S' || i, '{}', 'delivered', 1, $2, $2 FROM generate_series(1, $3::int) AS i`,
      [subscription, ago(delivered + 1), PURGE_BATCH * 2 + 500],
    );
    await service.dataSource.query(
      `INSERT INTO webhook_delivery (subscription_id, event_id, event_type, subject, payload, status, attempts, created_at,
         delivered_at, dead_at, next_attempt_at)
       VALUES ($1, 'delivered-recent', 'test.v1', 'S', '{}', 'delivered', 1, $2, $2, NULL, $2),
              ($1, 'dead-recent', 'test.v1', 'S', '{}', 'dead', 10, $3, NULL, $3, $3),
              ($1, 'dead-old', 'test.v1', 'S', '{}', 'dead', 10, $4, NULL, $4, $4),
              ($1, 'pending-old', 'test.v1', 'S', '{}', 'pending', 0, $5, NULL, NULL, $5)`,
      [subscription, ago(delivered - 1), ago(dead - 1), ago(dead + 1), ago(dead + 1000)],
    );
    const kept = async () =>
      (
        await service.dataSource.query(
          `SELECT event_id FROM webhook_delivery WHERE subscription_id = $1 AND event_id NOT LIKE 'delivered-old-%' ORDER BY event_id`,
          [subscription],
        )
      ).map((row: { event_id: string }) => row.event_id);
    const count = async () =>
      Number(
        (await service.dataSource.query(`SELECT count(*) AS n FROM webhook_delivery WHERE subscription_id = $1`, [subscription]))[0].n,
      );

    // A replica does not hold the dispatcher's lock: it purges nothing.
    const replica = await service.startReplica();
    try {
      expect(await replica.app.get(WebhookDispatcher).purgeOnce(asOf)).toEqual({ delivered: 0, dead: 0 });
    } finally {
      await replica.stop();
    }
    expect(await count()).toBe(PURGE_BATCH * 2 + 504);

    const leader = service.app.get(WebhookDispatcher);
    const rounds: Array<{ delivered: number; dead: number }> = [];
    await waitFor('the expired deliveries purged', async () => {
      rounds.push(await leader.purgeOnce(asOf));
      return (await count()) === 3;
    });
    expect(await kept()).toEqual(['dead-recent', 'delivered-recent', 'pending-old']);
    // Two full batches, then the rest (with the other tests' delivered rows, as old by then).
    const batches = rounds.filter((round) => round.delivered + round.dead > 0);
    expect(batches).toEqual([
      { delivered: PURGE_BATCH, dead: 1 },
      { delivered: PURGE_BATCH, dead: 0 },
      { delivered: expect.any(Number), dead: 0 },
    ]);
    expect(batches[2].delivered).toBeLessThan(PURGE_BATCH);
  });
});

/**
 * The dispatcher's statements on a delivery table that has grown: 50,000 delivered rows, 1,000 dead ones
 * and 5,000 pending rows of disabled subscriptions, against the service's migrations (ADR 0082, 0083).
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
    // 1,000 dead over the last 100 days.
    await db.query(`
      INSERT INTO webhook_delivery (subscription_id, event_id, event_type, subject, payload, status, attempts, created_at, dead_at)
      SELECT ('00000000-0000-4000-8000-' || lpad((1 + i % 10)::text, 12, '0'))::uuid, 'dead-' || i, 'test.v1', 'S' || i % 997, '{}',
        'dead', 10, now() - (i % 100) * interval '1 day', now() - (i % 100) * interval '1 day'
      FROM generate_series(1, 1000) AS i`);
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
    // they are flushed) across it. A few rows, where reading by the primary key fetched 56,006.
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

  it('purges a batch of expired delivered rows, and of dead ones, found by their indexes', async () => {
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
    const expired = async () =>
      (
        await db.query(
          `SELECT count(*) FILTER (WHERE status = 'delivered' AND delivered_at < $1) AS delivered,
                  count(*) FILTER (WHERE status = 'dead' AND dead_at < $2) AS dead,
                  count(*) FILTER (WHERE status = 'pending') AS pending, count(*) AS rows
           FROM webhook_delivery`,
          [ago(30), ago(90)],
        )
      )[0];
    const plans = [await queryPlan(db, PURGE_DELIVERED, [ago(30), PURGE_BATCH]), await queryPlan(db, PURGE_DEAD, [ago(90), PURGE_BATCH])];
    expect(plans[0]).toContain('webhook_delivery_delivered_at');
    expect(plans[1]).toContain('webhook_delivery_dead_at');
    for (const plan of plans) expect(plan).not.toContain('Seq Scan on webhook_delivery');

    // A re-drive in progress holds one expired dead row: the purge skips it rather than wait for it.
    const redrive = db.createQueryRunner();
    await redrive.connect();
    await redrive.startTransaction();
    const before = await expired();
    let deleted: number;
    let dead: number;
    try {
      const [{ id }] = await redrive.query(
        `SELECT id FROM webhook_delivery WHERE status = 'dead' AND dead_at < $1 ORDER BY id LIMIT 1 FOR UPDATE`,
        [ago(90)],
      );
      await redrive.query(`UPDATE webhook_delivery SET status = 'pending', attempts = 0, dead_at = NULL WHERE id = $1`, [id]);
      [, deleted] = await db.query(PURGE_DELIVERED, [ago(30), PURGE_BATCH]);
      [, dead] = await db.query(PURGE_DEAD, [ago(90), PURGE_BATCH]);
    } finally {
      await redrive.rollbackTransaction();
      await redrive.release();
    }
    const after = await expired();
    expect(deleted).toBe(PURGE_BATCH);
    expect(Number(after.delivered)).toBe(Number(before.delivered) - PURGE_BATCH);
    expect(dead).toBe(Number(before.dead) - 1);
    expect(Number(after.dead)).toBe(1);
    expect(Number(after.pending)).toBe(Number(before.pending));
    expect(Number(after.rows)).toBe(Number(before.rows) - PURGE_BATCH - dead);
  });
});
