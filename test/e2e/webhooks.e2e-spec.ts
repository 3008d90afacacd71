import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { HotlineComplaintReceivedV1, SectorInspectionRecordedV1 } from '@backbone/contracts';
import { GatewayProcess, TEST_CLIENTS, TestSystem, testUscc, waitFor } from '@backbone/testing';
import { webhookReceiver } from '../../services/integration/examples/webhook-receiver';

const HOTLINE = '320700-HOTLINE';
const SAMR = '320700-SAMR';

interface Attempt {
  id: string;
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** The README's receiver, on a free port, with every answer it gave recorded. */
async function startReceiver(secret: string, handle: (event: Record<string, unknown>) => Promise<void>) {
  const server: Server = webhookReceiver(secret, handle);
  const attempts: Attempt[] = [];
  server.prependListener('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('finish', () =>
      attempts.push({
        id: String(request.headers['webhook-id']),
        status: response.statusCode,
        body: Buffer.concat(chunks).toString('utf8'),
        headers: request.headers as Record<string, string>,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, attempts, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` };
}

/**
 * Webhooks, the double push for agencies without Kafka, end to end: events posted at the intake through
 * the gateway reach a subscriber's receiver as signed CloudEvents. The receiver fails for a while, the
 * integration service is killed (kill -9) with deliveries pending and comes back, the receiver recovers:
 * every event arrives exactly once, in order per entity. A delivery that keeps failing is dead-lettered,
 * visible, and re-driven. A tampered signature is refused by the README's receiver code.
 */
describe('webhooks', () => {
  let system: TestSystem;
  let gateway: GatewayProcess;
  const closers: Server[] = [];

  beforeAll(async () => {
    system = await TestSystem.start(['integration'], {
      integration: {
        WEBHOOK_BACKOFF_MS: '200',
        WEBHOOK_MAX_BACKOFF_MS: '1000',
        WEBHOOK_MAX_ATTEMPTS: '8',
        WEBHOOK_POLL_MS: '50',
        OPERATOR_DEPARTMENTS: 'PLATFORM-OPS',
      },
    });
    gateway = await GatewayProcess.start({ integration: system.service('integration').url });
  });

  afterAll(async () => {
    for (const server of closers) server.close();
    await gateway?.stop();
    await system?.stop();
  });

  const call = async (
    department: keyof typeof TEST_CLIENTS,
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ) => {
    const response = await fetch(`${gateway.url}/integration${path}`, {
      method,
      headers: { 'x-api-key': TEST_CLIENTS[department], 'content-type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const complaint = (uscc: string, ticketNumber: string) => ({
    specversion: '1.0',
    id: ticketNumber,
    source: `/departments/${HOTLINE}/12345`,
    type: HotlineComplaintReceivedV1.type,
    data: {
      ticketNumber,
      hotlineDepartment: HOTLINE,
      uscc,
      category: 'food_safety',
      content: `投诉 ${ticketNumber}`,
      regionCode: '320703',
      receivedAt: '2026-11-30T09:30:00+08:00',
    },
  });

  it('delivers every event exactly once, in order per entity, through receiver failures and a sender crash', async () => {
    let failing = true;
    const handled: { id: string; uscc: string; ticket: string }[] = [];
    const receiver = await startReceiver(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, async (event) => {
      if (failing) throw new Error('the receiving system is down');
      const data = event.data as { uscc: string; ticketNumber: string };
      handled.push({ id: String(event.id), uscc: data.uscc, ticket: data.ticketNumber });
    });
    closers.push(receiver.server);

    const subscribed = await call(SAMR, 'POST', '/webhooks/subscriptions', {
      url: receiver.url,
      eventTypes: [HotlineComplaintReceivedV1.type],
      secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}`,
    });
    expect(subscribed.status).toBe(201);
    const subscriptionId: string = subscribed.body.id;

    // Three entities, five complaints each, posted as batches (one per entity) and single events.
    const entities = [testUscc(9_100_001), testUscc(9_100_002), testUscc(9_100_003)];
    const expected = new Map(entities.map((uscc) => [uscc, [1, 2, 3, 4, 5].map((n) => `GD-${uscc.slice(-6)}-${n}`)]));
    for (const uscc of entities) {
      const tickets = expected.get(uscc) as string[];
      const batch = await call(
        HOTLINE,
        'POST',
        '/events',
        tickets.slice(0, 3).map((ticket) => complaint(uscc, ticket)),
        'application/cloudevents-batch+json',
      );
      expect(batch.status).toBe(202);
      for (const ticket of tickets.slice(3)) {
        expect((await call(HOTLINE, 'POST', '/events', complaint(uscc, ticket), 'application/cloudevents+json')).status).toBe(202);
      }
    }

    // The receiver refuses: each entity's first event is retried, the later ones wait behind it.
    await waitFor(
      'failed attempts at every entity',
      () => new Set(receiver.attempts.filter((a) => a.status === 500).map((a) => a.id)).size >= 3,
      {
        timeoutMs: 60_000,
      },
    );
    await waitFor('fifteen deliveries pending, visible in the subscription status', async () => {
      const status = await call(SAMR, 'GET', `/webhooks/subscriptions/${subscriptionId}`);
      return status.body.deliveries.pending === 15 && status.body.deliveries.delivered === 0;
    });
    const pending = await call(SAMR, 'GET', `/webhooks/subscriptions/${subscriptionId}/deliveries?status=pending`);
    expect(
      pending.body.some((delivery: { attempts: number; lastStatus: number }) => delivery.attempts >= 1 && delivery.lastStatus === 500),
    ).toBe(true);

    // The sender dies with everything pending, and comes back; meanwhile the receiver recovers.
    await system.service('integration').crash();
    failing = false;
    await system.service('integration').start();

    await waitFor('all fifteen events handled', () => handled.length >= 15, { timeoutMs: 120_000 });
    await waitFor('the deliveries marked delivered', async () => {
      const after = await call(SAMR, 'GET', `/webhooks/subscriptions/${subscriptionId}`);
      return after.body.deliveries.delivered === 15 && after.body.deliveries.pending === 0 ? after : undefined;
    });

    // Exactly once: one accepted (2xx) answer per event, fifteen distinct events, none handled twice.
    const accepted = receiver.attempts.filter((attempt) => attempt.status >= 200 && attempt.status < 300);
    expect(accepted).toHaveLength(15);
    expect(new Set(accepted.map((attempt) => attempt.id)).size).toBe(15);
    expect(handled).toHaveLength(15);
    // In order per entity.
    for (const uscc of entities) {
      expect(handled.filter((event) => event.uscc === uscc).map((event) => event.ticket)).toEqual(expected.get(uscc));
    }
    // Each delivery is a structured CloudEvent, its webhook-id the event id.
    const sample = accepted[0];
    expect(sample.headers['content-type']).toBe('application/cloudevents+json');
    expect(JSON.parse(sample.body)).toMatchObject({ specversion: '1.0', id: sample.id, type: HotlineComplaintReceivedV1.type });

    // A tampered delivery is refused by the README's receiver and handled by nobody.
    const signed = Object.fromEntries(
      ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, sample.headers[name]]),
    );
    const forged = await fetch(receiver.url, {
      method: 'POST',
      headers: signed,
      body: sample.body.replace('food_safety', 'other'),
    });
    expect(forged.status).toBe(401);
    const wrongSignature = await fetch(receiver.url, {
      method: 'POST',
      headers: { ...signed, 'webhook-id': randomUUID() },
      body: sample.body,
    });
    expect(wrongSignature.status).toBe(401);
    expect(handled).toHaveLength(15);
  });

  it('dead-letters a delivery after the last attempt, shows it, and re-drives it once the receiver works', async () => {
    let up = false;
    const received: string[] = [];
    const secret = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
    const receiver = await startReceiver(secret, async (event) => {
      if (!up) throw new Error('still down');
      received.push(String(event.id));
    });
    closers.push(receiver.server);
    const subscribed = await call(SAMR, 'POST', '/webhooks/subscriptions', {
      url: receiver.url,
      eventTypes: [SectorInspectionRecordedV1.type],
      secret,
    });
    const subscriptionId: string = subscribed.body.id;

    const uscc = testUscc(9_100_010);
    const posted = await call(
      SAMR,
      'POST',
      '/events',
      {
        specversion: '1.0',
        id: randomUUID(),
        source: `/departments/${SAMR}`,
        type: SectorInspectionRecordedV1.type,
        data: {
          inspectionNumber: 'JC-0001',
          uscc,
          department: SAMR,
          inspector: '李强',
          result: 'compliant',
          violations: [],
          inspectedAt: '2026-11-30T10:00:00+08:00',
        },
      },
      'application/cloudevents+json',
    );
    expect(posted.status).toBe(202);

    const dead = await waitFor(
      'the delivery to be dead-lettered after 8 attempts',
      async () => {
        const list = await call(SAMR, 'GET', `/webhooks/subscriptions/${subscriptionId}/deliveries?status=dead`);
        return list.body.length === 1 ? list.body[0] : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(dead).toMatchObject({ status: 'dead', attempts: 8, lastStatus: 500, eventId: posted.body.eventId });
    expect(receiver.attempts.filter((attempt) => attempt.id === posted.body.eventId)).toHaveLength(8);

    // Only the owner (or an operator) re-drives; a delivery that is not dead is not re-driven.
    expect((await call(HOTLINE, 'POST', `/webhooks/deliveries/${dead.id}/redrive`)).status).toBe(403);
    up = true;
    const redriven = await call(SAMR, 'POST', `/webhooks/deliveries/${dead.id}/redrive`);
    expect(redriven.status).toBe(200);
    expect(redriven.body).toMatchObject({ status: 'pending', attempts: 0 });
    await waitFor('the re-driven delivery to arrive', () => received.length === 1, { timeoutMs: 30_000 });
    expect(received).toEqual([posted.body.eventId]);
    const again = await call(SAMR, 'POST', `/webhooks/deliveries/${dead.id}/redrive`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('WEBHOOK_DELIVERY_NOT_DEAD');
  });

  it('keeps subscriptions to their department and refuses unknown event types', async () => {
    const list = await call(HOTLINE, 'GET', '/webhooks/subscriptions');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([]);
    const all = await call('PLATFORM-OPS', 'GET', '/webhooks/subscriptions');
    expect(all.body.length).toBe(2);
    expect(JSON.stringify(all.body)).not.toContain('whsec_');
    const unknown = await call(SAMR, 'POST', '/webhooks/subscriptions', {
      url: 'http://127.0.0.1:9/x',
      eventTypes: ['backbone.nothing.v1'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('UNKNOWN_EVENT_TYPE');
  });
});
