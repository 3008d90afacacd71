import { ComplaintAnsweredV1, ComplaintEscalatedV1, Envelope, Topics } from '@backbone/contracts';
import { TEST_CLIENTS, TestSystem, testUscc, waitFor } from '@backbone/testing';

/**
 * A complaint that is chased, across services: the 12345 hotline's system dispatches a work order to
 * the market regulator (idempotent intake), credit counts it as a risk signal for the entity, nobody
 * answers it in time, the sweep escalates it (督办) where the operators see it and ComplaintEscalatedV1 is
 * published; the late answer goes back to the hotline with its ticket number (ComplaintAnsweredV1).
 */
describe('complaint overdue → escalated, across services', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start(['enforcement', 'credit'], { enforcement: { COMPLAINT_SWEEP_INTERVAL_MS: '0' } });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('escalates an unanswered complaint once its deadline passes, and relays the answer to the hotline', async () => {
    const uscc = testUscc(8_400_001);
    const ticketNumber = '12345-20261130-009001';
    const response = await fetch(`${system.service('enforcement').url}/complaints/hotline-intake`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_CLIENTS['320700-HOTLINE'], 'idempotency-key': ticketNumber },
      body: JSON.stringify({
        ticketNumber,
        uscc,
        kind: 'urgent',
        toDepartment: '320700-SAMR',
        complainant: '赵先生',
        contact: '139****1111',
        content: '超市出售过期食品',
      }),
    });
    expect(response.status).toBe(201);
    const complaint = (await response.json()) as { id: string; answerDeadline: string };

    // Credit counts the complaint as a risk signal for the entity.
    await waitFor('the complaint in the credit record', async () => {
      const record = await system.call('credit', '320700-SAMR', 'GET', `/credit-records/${uscc}/full`);
      return record.body.riskSignals?.complaints.last12Months === 1;
    });

    // Nobody answers by the deadline: the sweep escalates it, once.
    const after = new Date(new Date(complaint.answerDeadline).getTime() + 60_000).toISOString();
    const sweep = await system.call('enforcement', 'PLATFORM-OPS', 'POST', '/admin/complaint-sweeps', { asOf: after });
    expect(sweep.body.escalated).toEqual([complaint.id]);
    expect((await system.call('enforcement', 'PLATFORM-OPS', 'POST', '/admin/complaint-sweeps', { asOf: after })).body.escalated).toEqual(
      [],
    );
    const view = await system.call('enforcement', 'PLATFORM-OPS', 'GET', '/admin/complaints?escalated=true');
    expect(view.body.complaints).toEqual([
      expect.objectContaining({ id: complaint.id, department: '320700-SAMR', externalRef: ticketNumber }),
    ]);
    expect(view.body.summary).toEqual([expect.objectContaining({ department: '320700-SAMR', open: 1, escalated: 1 })]);

    // The handling department answers (late); the answer goes back to the hotline with its ticket number.
    expect(
      (await system.call('enforcement', '320700-SAMR', 'POST', `/complaints/${complaint.id}/acceptance`, { acceptedBy: '王芳' })).status,
    ).toBe(200);
    expect(
      (await system.call('enforcement', '320700-SAMR', 'POST', `/complaints/${complaint.id}/answer`, { answer: '已下架并立案' })).status,
    ).toBe(200);

    // Both events are on Kafka for the hotline's system and the console to read.
    const seen: Envelope<any>[] = [];
    const consumer = system.kafka().consumer({ groupId: `${system.namespace}.e2e-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic: system.topic(Topics.EnforcementEvents), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(JSON.parse(String(message.value))) });
    try {
      await waitFor('the escalation and the answer on Kafka', () =>
        [ComplaintEscalatedV1.type, ComplaintAnsweredV1.type].every((type) => seen.some((event) => event.type === type)),
      );
    } finally {
      await consumer.disconnect();
    }
    const escalated = seen.find((event) => event.type === ComplaintEscalatedV1.type)!;
    expect(escalated.data).toMatchObject({
      complaintId: complaint.id,
      department: '320700-SAMR',
      channel: 'hotline_12345',
      externalRef: ticketNumber,
    });
    const answered = seen.find((event) => event.type === ComplaintAnsweredV1.type)!;
    expect(answered.data).toMatchObject({ complaintId: complaint.id, externalRef: ticketNumber, answer: '已下架并立案' });
    expect(new Date(answered.data.answeredAt).getTime()).toBeGreaterThan(0);
    expect(JSON.stringify(seen)).not.toContain('赵先生');
  }, 120_000);
});
