import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ComplaintAnsweredV1, HotlineComplaintReceivedV1 } from '@backbone/contracts';
import { TEST_CLIENTS, TestSystem, testUscc, waitFor } from '@backbone/testing';
import { webhookReceiver } from '../../services/integration/examples/webhook-receiver';

const HOTLINE = '320700-HOTLINE';
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

/**
 * The 12345 hotline's work orders, across services, through real Kafka and PostgreSQL: the hotline's
 * system posts CloudEvents at the integration intake; enforcement registers each as a complaint in the
 * department its category routes to, with its working-day answer deadline, and links the repeat about the
 * same entity; credit counts both as the entity's risk signal; the department answers, and the answer
 * (ComplaintAnsweredV1 with the ticket number) reaches the hotline's webhook receiver.
 */
describe('hotline work order → complaint → answer back to the hotline', () => {
  let system: TestSystem;
  let receiver: Server;
  const received: Record<string, any>[] = [];

  beforeAll(async () => {
    system = await TestSystem.start(['integration', 'enforcement', 'credit'], {
      integration: { WEBHOOK_POLL_MS: '50', WEBHOOK_BACKOFF_MS: '200' },
      enforcement: { COMPLAINT_SWEEP_INTERVAL_MS: '0' },
    });
    receiver = webhookReceiver(SECRET, async (event) => void received.push(event));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    receiver?.close();
    await system?.stop();
  });

  const workOrder = (uscc: string, ticketNumber: string, category: string) => ({
    specversion: '1.0',
    id: `event-${ticketNumber}`,
    source: `/departments/${HOTLINE}/12345`,
    type: HotlineComplaintReceivedV1.type,
    time: '2026-11-30T01:30:00Z',
    data: {
      ticketNumber,
      hotlineDepartment: HOTLINE,
      uscc,
      entityName: '某超市',
      category,
      content: `来电反映 ${ticketNumber}`,
      regionCode: '320703',
      receivedAt: '2026-11-30T09:30:00+08:00',
    },
  });

  const post = async (event: object) => {
    const response = await fetch(`${system.service('integration').url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', 'x-api-key': TEST_CLIENTS[HOTLINE] },
      body: JSON.stringify(event),
    });
    return response.status;
  };

  it('registers routed, linked, counted complaints and delivers the answer to the hotline with its ticket number', async () => {
    const subscribed = await system.call('integration', HOTLINE, 'POST', '/webhooks/subscriptions', {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
      eventTypes: [ComplaintAnsweredV1.type],
      secret: SECRET,
    });
    expect(subscribed.status).toBe(201);

    const uscc = testUscc(8_400_101);
    expect(await post(workOrder(uscc, 'GD-20261130-0101', 'food_safety'))).toBe(202);
    expect(await post(workOrder(uscc, 'GD-20261130-0102', 'unlicensed_operation'))).toBe(202);
    // The hotline's retry of the first work order (same CloudEvent) is accepted and registers nothing more.
    expect(await post(workOrder(uscc, 'GD-20261130-0101', 'food_safety'))).toBe(202);

    const complaints = await waitFor(
      'both work orders registered at enforcement',
      async () => {
        const view = await system.call('enforcement', 'PLATFORM-OPS', 'GET', `/admin/complaints?uscc=${uscc}&channel=hotline_12345`);
        return view.body.complaints?.length === 2 ? (view.body.complaints as any[]) : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const first = complaints.find((complaint) => complaint.externalRef === 'GD-20261130-0101');
    const second = complaints.find((complaint) => complaint.externalRef === 'GD-20261130-0102');
    expect(first).toMatchObject({ department: '320700-SAMR', kind: 'complaint', category: 'food_safety', repeatCount: 0 });
    expect(second).toMatchObject({ department: '320700-SAMR', kind: 'report', category: 'unlicensed_operation', repeatOf: first.id });
    // Working-day deadlines per kind: a report (15 working days) is answered later than a complaint (10).
    expect(new Date(second.answerDeadline).getTime()).toBeGreaterThan(new Date(first.answerDeadline).getTime());

    // The department sees them in its queue; credit counts them as the entity's risk signal, repeats too.
    const queue = await system.call('enforcement', '320700-SAMR', 'GET', `/complaints?uscc=${uscc}&repeat=true`);
    expect(queue.body.map((complaint: { id: string }) => complaint.id)).toEqual([second.id]);
    await waitFor('the complaints in the credit record', async () => {
      const record = await system.call('credit', '320700-SAMR', 'GET', `/credit-records/${uscc}/full`);
      const signal = record.body.riskSignals?.complaints;
      return signal?.last12Months === 2 && signal.repeats === 1;
    });

    // The answer goes back to the hotline's system through its webhook, carrying the ticket number.
    expect(
      (await system.call('enforcement', '320700-SAMR', 'POST', `/complaints/${first.id}/acceptance`, { acceptedBy: '王芳' })).status,
    ).toBe(200);
    expect(
      (await system.call('enforcement', '320700-SAMR', 'POST', `/complaints/${first.id}/answer`, { answer: '已责令下架整改' })).status,
    ).toBe(200);
    const delivered = await waitFor(
      'the answer delivered to the hotline',
      () => received.find((event) => event.type === ComplaintAnsweredV1.type),
      {
        timeoutMs: 60_000,
      },
    );
    expect(delivered.data).toMatchObject({
      complaintId: first.id,
      uscc,
      channel: 'hotline_12345',
      externalRef: 'GD-20261130-0101',
      department: '320700-SAMR',
      answer: '已责令下架整改',
    });
    expect(received).toHaveLength(1);
  }, 180_000);
});
