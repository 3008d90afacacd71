import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { HotlineComplaintReceivedV1, SectorApprovalDecidedV1, SectorInspectionRecordedV1 } from '@backbone/contracts';
import { InProcessService, testUscc, waitFor, KEEP_PUBLISHED } from '@backbone/testing';
import { loadIntegrationConfig } from '../../integration.config';
import { INTEGRATION_SERVICE, IntegrationModule } from '../../integration.module';

const HOTLINE = '320700-HOTLINE';
const HEALTH = '320700-HEALTH';
const SAMR = '320700-SAMR';
const KEYS: Record<string, string> = {
  [HOTLINE]: 'test-key-hotline-12345-320700',
  [HEALTH]: 'test-key-health-commission-32070',
  [SAMR]: 'test-key-market-regulator-320700',
};

const complaint = (uscc: string, ticketNumber: string) => ({
  ticketNumber,
  hotlineDepartment: HOTLINE,
  uscc,
  entityName: '连云港某餐饮店',
  category: 'food_safety',
  content: '顾客反映后厨卫生差',
  regionCode: '320703',
  receivedAt: '2026-11-30T09:30:00+08:00',
});

const structured = (data: object, overrides: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: randomUUID(),
  source: `/departments/${HOTLINE}/12345`,
  type: HotlineComplaintReceivedV1.type,
  time: '2026-11-30T01:30:00Z',
  datacontenttype: 'application/json',
  data,
  ...overrides,
});

/**
 * The CloudEvents intake against real PostgreSQL and Kafka: the three modes of the HTTP binding, the
 * department's right to send a type, validation against the published payload classes, idempotency on
 * source + id, and the outbox that hands accepted events to Kafka.
 */
describe('CloudEvents intake', () => {
  let service: InProcessService;
  let dataSource: DataSource;

  beforeAll(async () => {
    service = await InProcessService.start({
      service: INTEGRATION_SERVICE,
      loadConfig: loadIntegrationConfig,
      module: (config) => IntegrationModule.forRoot(config),
      clients: KEYS,
      env: KEEP_PUBLISHED,
    });
    dataSource = service.dataSource;
  });

  afterAll(async () => {
    await service?.stop();
  });

  const post = async (department: string | null, body: unknown, contentType: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${service.url}/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(department ? { 'x-api-key': KEYS[department] } : {}), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, contentType: response.headers.get('content-type') };
  };
  const count = async (table: string) => Number((await dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('accepts a structured event and hands it to Kafka through the outbox, with the sender as source', async () => {
    const uscc = testUscc(9_000_001);
    const event = structured(complaint(uscc, 'GD-1'), { correlationid: 'hotline-GD-1' });
    const answer = await post(HOTLINE, event, 'application/cloudevents+json');
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ id: event.id, source: event.source, status: 'accepted', correlationId: 'hotline-GD-1' });

    const [row] = await dataSource.query(`SELECT value, topic, message_key FROM outbox WHERE event_id = $1`, [answer.body.eventId]);
    expect(row).toMatchObject({ topic: 'backbone.integration.events', message_key: uscc });
    expect(JSON.parse(row.value.toString())).toMatchObject({
      id: answer.body.eventId,
      source: event.source,
      type: HotlineComplaintReceivedV1.type,
      subject: uscc,
      time: '2026-11-30T01:30:00.000Z',
      correlationid: 'hotline-GD-1',
      data: complaint(uscc, 'GD-1'),
    });
    await waitFor('the relay to publish it (broker acknowledged)', async () => {
      const [sent] = await dataSource.query(`SELECT sent_at FROM outbox WHERE event_id = $1`, [answer.body.eventId]);
      return sent.sent_at !== null;
    });
  });

  it('accepts binary mode: ce-* headers and the data as an application/json body', async () => {
    const uscc = testUscc(9_000_002);
    const id = randomUUID();
    const answer = await post(
      HEALTH,
      {
        applicationNumber: 'WS-2026-001',
        uscc,
        entityName: '连云港某医疗器械有限公司',
        itemCode: 'MEDICAL-INSTITUTION-LICENCE',
        regionCode: '320703',
        approverDepartment: HEALTH,
        kind: 'licence',
        outcome: 'granted',
        decidedAt: '2026-11-30T10:00:00+08:00',
      },
      'application/json',
      {
        'ce-specversion': '1.0',
        'ce-id': id,
        'ce-source': `/departments/${HEALTH}`,
        'ce-type': SectorApprovalDecidedV1.type,
        'ce-subject': uscc,
      },
    );
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ id, status: 'accepted', type: SectorApprovalDecidedV1.type });
  });

  it('accepts a batch all together, and refuses a batch with one bad event as a whole, naming the event and field', async () => {
    const uscc = testUscc(9_000_003);
    const events = [1, 2, 3].map((n) => structured(complaint(uscc, `GD-B${n}`)));
    const answer = await post(HOTLINE, events, 'application/cloudevents-batch+json');
    expect(answer.status).toBe(202);
    expect(answer.body.receipts.map((receipt: { id: string; status: string }) => [receipt.id, receipt.status])).toEqual(
      events.map((event) => [event.id, 'accepted']),
    );
    const keyed = await dataSource.query(`SELECT value FROM outbox WHERE message_key = $1 ORDER BY id`, [uscc]);
    expect(keyed.map((row: { value: Buffer }) => JSON.parse(row.value.toString()).data.ticketNumber)).toEqual(['GD-B1', 'GD-B2', 'GD-B3']);

    const before = [await count('intake_event'), await count('outbox')];
    const bad = [structured(complaint(testUscc(9_000_004), 'GD-C1')), structured({ ...complaint('91320700MA1MXXK01X', 'GD-C2') })];
    const refused = await post(HOTLINE, bad, 'application/cloudevents-batch+json');
    expect(refused.status).toBe(400);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body.code).toBe('INVALID_CLOUDEVENT');
    expect(refused.body.details.errors.map((error: { field: string }) => error.field)).toEqual(['[1].data.uscc']);
    expect([await count('intake_event'), await count('outbox')]).toEqual(before);
  });

  it('answers a replay (same source + id) with the first receipt and writes nothing; other content under the same key is 422', async () => {
    const uscc = testUscc(9_000_005);
    const event = structured(complaint(uscc, 'GD-R1'));
    const first = await post(HOTLINE, event, 'application/cloudevents+json');
    const before = await count('outbox');
    const replay = await post(HOTLINE, event, 'application/cloudevents+json');
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ status: 'duplicate', eventId: first.body.eventId, correlationId: first.body.correlationId });
    // the same content in binary mode is the same event
    const { data, ...attributes } = event;
    const binaryHeaders = Object.fromEntries(
      Object.entries(attributes)
        .filter(([name]) => name !== 'datacontenttype')
        .map(([name, value]) => [`ce-${name}`, String(value)]),
    );
    const binaryReplay = await post(HOTLINE, data, 'application/json', binaryHeaders);
    expect(binaryReplay.body).toMatchObject({ status: 'duplicate', eventId: first.body.eventId });

    const reused = await post(HOTLINE, { ...event, data: { ...event.data, content: '另一件事' } }, 'application/cloudevents+json');
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('EVENT_ID_REUSED');
    expect(await count('outbox')).toBe(before);
  });

  it.each([
    [
      'a type the department may not send',
      SAMR,
      () => structured(complaint(testUscc(9_000_006), 'X'), { source: `/departments/${SAMR}` }),
      403,
      'EVENT_TYPE_NOT_ALLOWED',
    ],
    [
      'a source of another department',
      HOTLINE,
      () => structured(complaint(testUscc(9_000_007), 'X'), { source: `/departments/${HEALTH}` }),
      403,
      'SOURCE_NOT_OWN',
    ],
    [
      'a payload naming another department as its sender',
      HOTLINE,
      () => structured({ ...complaint(testUscc(9_000_008), 'X'), hotlineDepartment: HEALTH }),
      403,
      'SENDER_NOT_OWN',
    ],
    [
      'a type that is not an intake type',
      HOTLINE,
      () => structured(complaint(testUscc(9_000_009), 'X'), { type: 'backbone.approval.decided.v1' }),
      400,
      'INVALID_CLOUDEVENT',
    ],
    [
      'a date that does not exist',
      HOTLINE,
      () => structured({ ...complaint(testUscc(9_000_010), 'X'), receivedAt: '2026-02-30T09:00:00Z' }),
      400,
      'INVALID_CLOUDEVENT',
    ],
    [
      'an unknown payload field',
      HOTLINE,
      () => structured({ ...complaint(testUscc(9_000_011), 'X'), caller: '张三' }),
      400,
      'INVALID_CLOUDEVENT',
    ],
    [
      'a subject that is not the payload USCC',
      HOTLINE,
      () => structured(complaint(testUscc(9_000_012), 'X'), { subject: testUscc(9_000_013) }),
      400,
      'INVALID_CLOUDEVENT',
    ],
    [
      'no specversion',
      HOTLINE,
      () => ({ ...structured(complaint(testUscc(9_000_014), 'X')), specversion: undefined }),
      400,
      'INVALID_CLOUDEVENT',
    ],
  ])('refuses %s, writing nothing', async (_, department, build, status, code) => {
    const before = [await count('intake_event'), await count('outbox')];
    const answer = await post(department, build(), 'application/cloudevents+json');
    expect(answer.status).toBe(status);
    expect(answer.body.code).toBe(code);
    expect(answer.body.correlationId).toEqual(expect.any(String));
    expect([await count('intake_event'), await count('outbox')]).toEqual(before);
  });

  it('answers an unchanged retry of an event sent without `time` as a replay, in every mode', async () => {
    const { time: _time, ...untimed } = structured(complaint(testUscc(9_000_006), 'GD-R2'));
    const first = await post(HOTLINE, untimed, 'application/cloudevents+json');
    expect(first.status).toBe(202);
    const before = await count('outbox');
    const retry = await post(HOTLINE, untimed, 'application/cloudevents+json');
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ status: 'duplicate', eventId: first.body.eventId });

    const { data, ...attributes } = untimed;
    const binaryHeaders = Object.fromEntries(
      Object.entries(attributes)
        .filter(([name]) => name !== 'datacontenttype')
        .map(([name, value]) => [`ce-${name}`, String(value)]),
    );
    const binaryRetry = await post(HOTLINE, data, 'application/json', binaryHeaders);
    expect(binaryRetry.body).toMatchObject({ status: 'duplicate', eventId: first.body.eventId });

    const batch = [structured(complaint(testUscc(9_000_007), 'GD-R3'), { time: undefined })];
    const firstBatch = await post(HOTLINE, batch, 'application/cloudevents-batch+json');
    expect(firstBatch.status).toBe(202);
    const batchRetry = await post(HOTLINE, batch, 'application/cloudevents-batch+json');
    expect(batchRetry.body.receipts[0]).toMatchObject({ status: 'duplicate', eventId: firstBatch.body.receipts[0].eventId });
    expect(await count('outbox')).toBe(before + 1);
  });

  it('refuses other media types (415) and callers without a key (401)', async () => {
    const event = structured(complaint(testUscc(9_000_015), 'X'));
    expect((await post(HOTLINE, event, 'text/plain')).status).toBe(415);
    expect((await post(null, event, 'application/cloudevents+json')).status).toBe(401);
  });

  it('publishes who may send what, in a table and in its AsyncAPI document', async () => {
    const rights = await service.call(null, 'GET', '/events/rights');
    expect(rights.body[SectorInspectionRecordedV1.type]).toEqual([HEALTH, '320700-MPA', SAMR]);
    const document = await service.call(null, 'GET', '/events/asyncapi');
    expect(document.body.components.messages.HotlineComplaintReceivedV1['x-allowed-senders']).toEqual([HOTLINE]);
  });
});
