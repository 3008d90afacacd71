import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ApprovalDecidedV1, ApprovalDecidedV2, createEnvelope, Envelope, Topics } from '@backbone/contracts';
import { decidedApproval, InProcessService, testUscc, waitFor, KEEP_PUBLISHED } from '@backbone/testing';
import { loadSupervisionConfig } from '../src/supervision.config';
import { SUPERVISION_SERVICE, SupervisionModule } from '../src/supervision.module';

const OPS = 'PLATFORM-OPS';

/**
 * Decided approvals arriving as one run (ADR 0027): supervision applies them as a set, with the effects of
 * applying them one by one — one task per approval (a second version taken in, not a second task), the
 * vacuum for what no entry covers, a refusal only seen, a commitment's verification scheduled, an automatic
 * claim after its assignment, each task event caused by its own decided event. Real PostgreSQL, real Kafka.
 */
describe('a run of decided approvals routed as a set', () => {
  let service: InProcessService;
  let dataSource: DataSource;
  let producer: Producer;

  beforeAll(async () => {
    service = await InProcessService.start({
      service: SUPERVISION_SERVICE,
      loadConfig: loadSupervisionConfig,
      module: (config) => SupervisionModule.forRoot(config),
      clients: { [OPS]: 'test-key-platform-operations-001' },
      env: { OPERATOR_DEPARTMENTS: OPS, DEADLINE_SWEEP_INTERVAL_MS: '0', AUTO_CLAIM_DEPARTMENTS: '320700-SAMR', ...KEEP_PUBLISHED },
    });
    dataSource = service.dataSource;
    producer = service.kafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await service?.stop();
  });

  const uscc = testUscc(9_600_001);
  const approval = (overrides: Partial<ApprovalDecidedV2> = {}): ApprovalDecidedV2 => ({
    ...decidedApproval(9_600_001, { entityName: '连云港批量测试有限公司' }),
    ...overrides,
  });
  const v1 = (data: ApprovalDecidedV2) =>
    createEnvelope(ApprovalDecidedV1, {
      source: '/tests',
      subject: uscc,
      data,
      correlationId: randomUUID(),
    }) as Envelope<ApprovalDecidedV2>;
  const v2 = (data: ApprovalDecidedV2, correlationId: string) =>
    createEnvelope(ApprovalDecidedV2, { source: '/tests', subject: uscc, data, correlationId });

  it('applies the run with the effects of one event at a time', async () => {
    const routed = approval();
    const routedV1 = v1(routed);
    const routedV2 = v2(
      { ...routed, delegation: { fromRegionCode: '320700', fromDepartment: '320700-APPROVAL-CITY' } },
      routedV1.correlationid,
    );
    const vacuum = v1(approval({ itemCode: 'NO-CATALOG-ENTRY-FOR-THIS' }));
    const refused = v1(approval({ outcome: 'refused' }));
    const commitment = v1(approval({ kind: 'commitment' }));
    const run = [routedV1, vacuum, routedV2, refused, commitment, routedV1];
    // One key, one partition, one send: one Kafka batch, one chunk, one call of the batch handler.
    await producer.send({
      topic: `${service.namespace}.${Topics.ApprovalEvents}`,
      messages: run.map((event) => ({ key: event.subject, value: JSON.stringify(event) })),
    });
    const ids = [routed, vacuum.data, refused.data, commitment.data].map((a) => a.approvalId);
    await waitFor('every approval seen', async () => {
      const [seen] = await dataSource.query(`SELECT count(*)::int AS n FROM approval_seen WHERE approval_id = ANY($1::uuid[])`, [ids]);
      return seen.n === 4;
    });
    const tasks = await dataSource.query(
      `SELECT approval_id, status, claimed_handler, delegated_from_region FROM supervision_task WHERE approval_id = ANY($1::uuid[]) ORDER BY approval_id`,
      [ids],
    );
    expect(tasks).toEqual(
      expect.arrayContaining([
        { approval_id: routed.approvalId, status: 'claimed', claimed_handler: 'auto-claim', delegated_from_region: '320700' },
        { approval_id: commitment.data.approvalId, status: 'claimed', claimed_handler: 'auto-claim', delegated_from_region: null },
      ]),
    );
    expect(tasks).toHaveLength(2);
    const [vacuumRow] = await dataSource.query(`SELECT routed_at FROM unrouted_approval WHERE approval_id = $1`, [vacuum.data.approvalId]);
    expect(vacuumRow).toEqual({ routed_at: null });
    const [verification] = await dataSource.query(`SELECT count(*)::int AS n FROM commitment_verification WHERE approval_id = $1`, [
      commitment.data.approvalId,
    ]);
    expect(verification.n).toBe(1);

    // Each approval's events on its own loop, caused by the event that opened it, in the order they were caused.
    const events: Array<{ event_type: string; envelope: { correlationid: string; causationid?: string } }> = await dataSource.query(
      `SELECT event_type, convert_from(value, 'UTF8')::jsonb AS envelope FROM outbox_message
        WHERE convert_from(value, 'UTF8')::jsonb #>> '{data,approvalId}' = ANY($1::text[]) ORDER BY id, position`,
      [ids],
    );
    const of = (event: Envelope<ApprovalDecidedV2>) =>
      events
        .filter(({ envelope }) => envelope.correlationid === event.correlationid)
        .map(({ event_type, envelope }) => [event_type, envelope.causationid]);
    expect(of(routedV1)).toEqual([
      ['backbone.supervision.task-assigned.v1', routedV1.id],
      ['backbone.supervision.task-claimed.v1', routedV1.id],
    ]);
    expect(of(vacuum)).toEqual([['backbone.supervision.approval-unrouted.v1', vacuum.id]]);
    expect(of(refused)).toEqual([]);
    expect(of(commitment)).toEqual([
      ['backbone.supervision.task-assigned.v1', commitment.id],
      ['backbone.supervision.task-claimed.v1', commitment.id],
    ]);
  });
});
