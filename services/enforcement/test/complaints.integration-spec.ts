import { randomUUID } from 'node:crypto';
import { ComplaintAnsweredV1, ComplaintEscalatedV1, ComplaintRegisteredV1, HotlineComplaintReceivedV1 } from '@backbone/contracts';
import { InProcessService, testUscc, waitFor } from '@backbone/testing';
import { startEnforcement } from './enforcement-test-app';

/**
 * Complaints that are chased (001 三(二)6), on real PostgreSQL and Kafka: registered with a working-day
 * deadline, transferred only to a department that exists, accepted, answered; reminded and escalated
 * (督办) by the sweep; the 12345 hotline's idempotent intake and the answer event back; repeats linked;
 * the operators' view across departments.
 */
describe('complaints with deadlines', () => {
  let system: InProcessService;

  beforeAll(async () => {
    system = await startEnforcement();
  });

  afterAll(async () => {
    await system?.stop();
  });

  async function events<T>(type: string, complaintId: string): Promise<T[]> {
    const db = await system.sql();
    const rows = await db.query(
      `SELECT value FROM outbox WHERE event_type = $1 AND convert_from(value, 'UTF8')::jsonb -> 'data' ->> 'complaintId' = $2 ORDER BY id`,
      [type, complaintId],
    );
    return rows.rows.map((row: { value: Buffer }) => JSON.parse(row.value.toString()).data as T);
  }

  const register = (uscc: string, kind = 'complaint') =>
    system.call('320700-SAMR', 'POST', '/complaints', { uscc, kind, complainant: '张女士', contact: '138****0000', content: '后厨脏乱' });

  it('register → transfer (only to a department that exists) → accept → answer, with the deadline and the answer event', async () => {
    const uscc = testUscc(8_250_001);
    const registered = await register(uscc);
    expect(registered.status).toBe(201);
    const id: string = registered.body.id;
    expect(registered.body).toMatchObject({ status: 'registered', kind: 'complaint', channel: 'window', overdue: false, repeatCount: 0 });
    expect(registered.body.intakeDigest).toBeUndefined();
    const [event] = await events<ComplaintRegisteredV1>(ComplaintRegisteredV1.type, id);
    expect(event).toMatchObject({ uscc, kind: 'complaint', channel: 'window', department: '320700-SAMR', repeatCount: 0 });
    expect(JSON.stringify(event)).not.toContain('张女士');

    const nowhere = await system.call('320700-SAMR', 'POST', `/complaints/${id}/transfer`, {
      toDepartment: '320700-NOBODY',
      reason: '不属本部门管辖',
      transferredBy: '王芳',
    });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body).toMatchObject({ code: 'UNKNOWN_DEPARTMENT', details: { field: 'toDepartment' } });
    expect((await system.call('320700-SAMR', 'GET', `/complaints/${id}`)).body.department).toBe('320700-SAMR');

    const transferred = await system.call('320700-SAMR', 'POST', `/complaints/${id}/transfer`, {
      toDepartment: '320700-HEALTH',
      reason: '属卫生健康部门管辖',
      transferredBy: '王芳',
    });
    expect(transferred.status).toBe(200);
    expect(transferred.body.answerDeadline).toBe(registered.body.answerDeadline);

    const early = await system.call('320700-HEALTH', 'POST', `/complaints/${id}/answer`, { answer: '已处理' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('COMPLAINT_NOT_ACCEPTED');
    const accepted = await system.call('320700-HEALTH', 'POST', `/complaints/${id}/acceptance`, { acceptedBy: '周敏' });
    expect(accepted.body).toMatchObject({ status: 'accepted', acceptedBy: '周敏' });
    expect(
      (
        await system.call('320700-HEALTH', 'POST', `/complaints/${id}/transfer`, {
          toDepartment: '320700-SAMR',
          reason: 'r',
          transferredBy: 'x',
        })
      ).body.code,
    ).toBe('COMPLAINT_NOT_REGISTERED');
    const answered = await system.call('320700-HEALTH', 'POST', `/complaints/${id}/answer`, { answer: '经核查，已责令整改' });
    expect(answered.body).toMatchObject({ status: 'answered', overdue: false });
    const [answer] = await events<ComplaintAnsweredV1>(ComplaintAnsweredV1.type, id);
    expect(answer).toMatchObject({ complaintId: id, channel: 'window', department: '320700-HEALTH', answer: '经核查，已责令整改' });
  });

  it('the sweep reminds on the last working day and escalates an overdue complaint once; the operators see it', async () => {
    const uscc = testUscc(8_250_002);
    const registered = await register(uscc, 'urgent');
    const id: string = registered.body.id;
    const deadline = new Date(registered.body.answerDeadline);
    const sweep = (asOf: Date) => system.call('PLATFORM-OPS', 'POST', '/admin/complaint-sweeps', { asOf: asOf.toISOString() });
    expect((await system.call('320700-SAMR', 'POST', '/admin/complaint-sweeps', {})).status).toBe(403);

    const lastDay = new Date(deadline.getTime() - 3_600_000);
    expect((await sweep(lastDay)).body.reminded).toContain(id);
    expect((await sweep(lastDay)).body.reminded).not.toContain(id);

    const after = new Date(deadline.getTime() + 1000);
    expect((await sweep(after)).body.escalated).toContain(id);
    expect((await sweep(after)).body.escalated).not.toContain(id);
    const [escalation] = await events<ComplaintEscalatedV1>(ComplaintEscalatedV1.type, id);
    expect(escalation).toMatchObject({ complaintId: id, department: '320700-SAMR', answerDeadline: deadline.toISOString() });

    expect((await system.call('320700-SAMR', 'GET', '/admin/complaints')).status).toBe(403);
    const view = await system.call('PLATFORM-OPS', 'GET', `/admin/complaints?escalated=true&uscc=${uscc}`);
    expect(view.status).toBe(200);
    expect(view.body.complaints).toEqual([expect.objectContaining({ id, escalatedAt: after.toISOString() })]);
    expect(view.body.summary).toContainEqual(expect.objectContaining({ department: '320700-SAMR', escalated: expect.any(Number) }));
    const queue = await system.call('320700-SAMR', 'GET', '/complaints?status=registered');
    expect(queue.body.find((each: { id: string }) => each.id === id)).toMatchObject({ remindedAt: lastDay.toISOString() });
  });

  it("takes the 12345 hotline's work orders idempotently and links repeat complaints about one entity", async () => {
    const uscc = testUscc(8_250_003);
    const order = {
      ticketNumber: '12345-20261130-000123',
      uscc,
      kind: 'report',
      toDepartment: '320700-SAMR',
      complainant: '李先生',
      content: '无证经营',
    };
    const intake = (key: string | undefined, body: object, department: '320700-HOTLINE' | '320700-SAMR' = '320700-HOTLINE') =>
      fetch(`${system.url}/complaints/hotline-intake`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': department === '320700-HOTLINE' ? 'it-key-12345-hotline-system-1' : 'it-key-market-regulator-0001',
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));

    expect((await intake('k-1', order, '320700-SAMR')).body.code).toBe('ROLE_REQUIRED');
    expect((await intake(undefined, order)).body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect((await intake('k-0', { ...order, toDepartment: '320700-NOBODY' })).body.code).toBe('UNKNOWN_DEPARTMENT');

    const first = await intake('k-1', order);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      channel: 'hotline_12345',
      externalRef: order.ticketNumber,
      department: '320700-SAMR',
      kind: 'report',
    });
    const retry = await intake('k-1', order);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const reused = await intake('k-1', { ...order, content: '另一件事' });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const second = await intake('k-2', { ...order, ticketNumber: '12345-20261130-000124' });
    const third = await register(uscc);
    expect(second.body).toMatchObject({ repeatOf: first.body.id, repeatCount: 1 });
    expect(third.body).toMatchObject({ repeatOf: first.body.id, repeatCount: 2 });
    expect((await events(ComplaintRegisteredV1.type, third.body.id))[0]).toMatchObject({ repeatOf: first.body.id, repeatCount: 2 });

    await system.call('320700-SAMR', 'POST', `/complaints/${first.body.id}/acceptance`, { acceptedBy: '王芳' });
    await system.call('320700-SAMR', 'POST', `/complaints/${first.body.id}/answer`, { answer: '已立案查处' });
    const [answer] = await events<ComplaintAnsweredV1>(ComplaintAnsweredV1.type, first.body.id);
    expect(answer).toMatchObject({ channel: 'hotline_12345', externalRef: order.ticketNumber, answer: '已立案查处' });
  });

  it("registers the hotline's work orders from the integration intake: routed by category, once per ticket, filtered in both views", async () => {
    const uscc = testUscc(8_250_004);
    const order = (ticketNumber: string, category: HotlineComplaintReceivedV1['category'], hotlineDepartment = '320700-HOTLINE') => ({
      ticketNumber,
      hotlineDepartment,
      uscc,
      entityName: '某超市',
      category,
      content: `工单 ${ticketNumber}`,
      regionCode: '320703',
      receivedAt: '2026-11-30T09:30:00+08:00',
    });
    const byTicket = async (ticket: string) =>
      (await system.call('PLATFORM-OPS', 'GET', `/admin/complaints?externalRef=${ticket}`)).body.complaints as any[];

    await system.publish(HotlineComplaintReceivedV1, order('GD-8250004-1', 'food_safety'), uscc, randomUUID());
    const [first] = await waitFor('the first work order registered', async () =>
      (await byTicket('GD-8250004-1')).length ? byTicket('GD-8250004-1') : undefined,
    );
    expect(first).toMatchObject({
      uscc,
      department: '320700-SAMR',
      kind: 'complaint',
      channel: 'hotline_12345',
      category: 'food_safety',
      externalRef: 'GD-8250004-1',
      status: 'registered',
      repeatCount: 0,
    });
    expect(first.complainant).not.toContain('GD-');

    // The same ticket again under another event id (the hotline resent it), a repeat about the same entity
    // (unlicensed operation: a report), and an event from a department that is not the hotline's.
    await system.publish(HotlineComplaintReceivedV1, order('GD-8250004-1', 'food_safety'), uscc, randomUUID());
    await system.publish(HotlineComplaintReceivedV1, order('GD-8250004-2', 'unlicensed_operation'), uscc, randomUUID());
    await system.publish(HotlineComplaintReceivedV1, order('GD-8250004-3', 'pricing', '320700-SAMR'), uscc, randomUUID());
    const db = await system.sql();
    const deadLetter = await waitFor('the impostor dead-lettered', async () => {
      const rows = (await db.query(`SELECT reason FROM dead_letter WHERE topic = $1`, [HotlineComplaintReceivedV1.topic])).rows;
      return rows.length > 0 ? rows : undefined;
    });
    expect(deadLetter).toEqual([{ reason: expect.stringContaining('NOT_HOTLINE_CLIENT') }]);
    const [second] = await waitFor('the repeat registered', async () =>
      (await byTicket('GD-8250004-2')).length ? byTicket('GD-8250004-2') : undefined,
    );
    expect(second).toMatchObject({ kind: 'report', category: 'unlicensed_operation', repeatOf: first.id, repeatCount: 1 });
    expect(await byTicket('GD-8250004-1')).toHaveLength(1);
    expect(await byTicket('GD-8250004-3')).toHaveLength(0);
    const registered = await events<ComplaintRegisteredV1>(ComplaintRegisteredV1.type, second.id);
    expect(registered).toEqual([expect.objectContaining({ channel: 'hotline_12345', kind: 'report', repeatOf: first.id, repeatCount: 1 })]);

    // The department's queue and the operators' view filter by entity, channel, category and repeats.
    const queue = (query: string) => system.call('320700-SAMR', 'GET', `/complaints?uscc=${uscc}&${query}`);
    expect((await queue('channel=hotline_12345')).body.map((c: { id: string }) => c.id).sort()).toEqual([first.id, second.id].sort());
    expect((await queue('category=unlicensed_operation')).body.map((c: { id: string }) => c.id)).toEqual([second.id]);
    expect((await queue('repeat=true')).body.map((c: { id: string }) => c.id)).toEqual([second.id]);
    expect((await queue('repeat=false')).body.map((c: { id: string }) => c.id)).toEqual([first.id]);
    expect((await queue('channel=window')).body).toEqual([]);
    expect((await system.call('320700-HEALTH', 'GET', `/complaints?uscc=${uscc}`)).body).toEqual([]);
    const all = await system.call(
      'PLATFORM-OPS',
      'GET',
      `/admin/complaints?uscc=${uscc}&kind=report&registeredFrom=${encodeURIComponent(first.registeredAt)}`,
    );
    expect(all.body.complaints.map((c: { id: string }) => c.id)).toEqual([second.id]);
    const none = await system.call(
      'PLATFORM-OPS',
      'GET',
      `/admin/complaints?uscc=${uscc}&registeredTo=${encodeURIComponent(first.registeredAt)}`,
    );
    expect(none.body.complaints).toEqual([]);
    const badCategory = await system.call('320700-SAMR', 'GET', '/complaints?category=noise');
    expect(badCategory.status).toBe(400);
    expect(badCategory.body.errors[0]).toMatchObject({ field: 'category', rule: 'isIn' });
  });

  it('refuses bad input naming the field and the rule, writing nothing', async () => {
    const bad = await system.call('320700-SAMR', 'POST', '/complaints', { uscc: 'X', kind: 'gossip', complainant: '', content: 'c' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['complainant', 'kind', 'uscc']);
    const badQuery = await system.call('PLATFORM-OPS', 'GET', '/admin/complaints?overdue=maybe');
    expect(badQuery.body.errors[0]).toMatchObject({ field: 'overdue', rule: 'isBoolean' });
  });
});
