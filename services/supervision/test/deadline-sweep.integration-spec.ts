import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CommitmentVerificationEscalatedV1, TaskClaimReminderV1, TaskEscalatedV1 } from '@backbone/contracts';
import { InProcessService, testUscc, KEEP_PUBLISHED } from '@backbone/testing';
import { SWEEP_PAGE } from '../src/deadlines/run-deadline-sweep/run-deadline-sweep.service';
import { loadSupervisionConfig } from '../src/supervision.config';
import { SUPERVISION_SERVICE, SupervisionModule } from '../src/supervision.module';

const OPS = 'PLATFORM-OPS';
const HOUR = 3_600_000;

/**
 * The deadline sweep with more open work than one page (issue #10): what is due is selected in SQL in a
 * stable order and taken page by page, so none is missed with thousands of tasks open, none is touched
 * twice, and what is not due stays as it is. Real PostgreSQL (the migrations), real Kafka.
 */
describe('the deadline sweep with more than one page of due tasks', () => {
  let service: InProcessService;
  let dataSource: DataSource;
  const asOf = new Date(Date.UTC(2026, 5, 10, 4, 0, 0));

  beforeAll(async () => {
    service = await InProcessService.start({
      service: SUPERVISION_SERVICE,
      loadConfig: loadSupervisionConfig,
      module: (config) => SupervisionModule.forRoot(config),
      clients: { [OPS]: 'test-key-platform-operations-001' },
      env: { OPERATOR_DEPARTMENTS: OPS, DEADLINE_SWEEP_INTERVAL_MS: '0', ...KEEP_PUBLISHED },
    });
    dataSource = service.dataSource;
  });

  afterAll(async () => {
    await service?.stop();
  });

  /** Tasks straight into the table (as routing would have left them), ids in random order against their deadlines. */
  async function insertTasks(count: number, status: 'assigned' | 'claimed', deadline: (i: number) => Date): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await dataSource.query(
      `INSERT INTO supervision_task (id, approval_id, approval_version, correlation_id, uscc, item_code, region_code,
              approver_department, assigned_department, routing_rule, routing_basis, status, assigned_at, assigned_by, claim_deadline)
       SELECT t.id, gen_random_uuid(), 1, gen_random_uuid()::text, t.uscc, 'FOOD-BUSINESS-LICENCE', '320703',
              '320700-APPROVAL', '320700-SAMR', 'separated', 'separated', $4, $5, 'routing', t.deadline
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS t(id, uscc, deadline)`,
      [
        ids,
        ids.map((_, i) => testUscc(9_400_000 + (i % 97))),
        ids.map((_, i) => deadline(i)),
        status,
        new Date(asOf.getTime() - 72 * HOUR),
      ],
    );
    return ids;
  }

  async function outboxCount(type: string): Promise<number> {
    const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE event_type = $1`, [type]);
    return row.n;
  }

  it('escalates, reminds and escalates verifications of every due row, across pages, once', async () => {
    const overdue = await insertTasks(SWEEP_PAGE + 300, 'assigned', (i) => new Date(asOf.getTime() - HOUR - i * 1000));
    const reminderDue = await insertTasks(SWEEP_PAGE + 200, 'assigned', (i) => new Date(asOf.getTime() + (i % 20) * HOUR + i));
    const notYetDue = await insertTasks(400, 'assigned', (i) => new Date(asOf.getTime() + 48 * HOUR + i * 1000));
    const claimed = await insertTasks(SWEEP_PAGE + 100, 'claimed', () => new Date(asOf.getTime() - 48 * HOUR));
    // Commitment verifications of the claimed tasks, all past due and not recorded.
    await dataSource.query(
      `INSERT INTO commitment_verification (id, approval_id, task_id, correlation_id, uscc, item_code, due_at)
       SELECT gen_random_uuid(), t.approval_id, t.id, t.correlation_id, t.uscc, t.item_code, $2
         FROM supervision_task t WHERE t.id = ANY($1::uuid[])`,
      [claimed, new Date(asOf.getTime() - 24 * HOUR)],
    );

    const swept = await service.call(OPS, 'POST', '/admin/deadline-sweeps', { asOf: asOf.toISOString() });
    expect(swept.status).toBe(200);
    expect(new Set(swept.body.escalated)).toEqual(new Set(overdue));
    expect(swept.body.escalated).toHaveLength(overdue.length);
    expect(new Set(swept.body.reminded)).toEqual(new Set(reminderDue));
    expect(swept.body.reminded).toHaveLength(reminderDue.length);
    expect(swept.body.escalatedVerifications).toHaveLength(claimed.length);

    // Pages in a stable order: the earliest deadline first.
    const [first] = await dataSource.query(
      `SELECT id FROM supervision_task WHERE id = ANY($1::uuid[]) ORDER BY claim_deadline, id LIMIT 1`,
      [overdue],
    );
    expect(swept.body.escalated[0]).toBe(first.id);

    expect(await outboxCount(TaskEscalatedV1.type)).toBe(overdue.length);
    expect(await outboxCount(TaskClaimReminderV1.type)).toBe(reminderDue.length);
    expect(await outboxCount(CommitmentVerificationEscalatedV1.type)).toBe(claimed.length);
    const [untouched] = await dataSource.query(
      `SELECT count(*)::int AS n FROM supervision_task WHERE id = ANY($1::uuid[]) AND reminded_at IS NULL AND escalated_at IS NULL`,
      [notYetDue],
    );
    expect(untouched.n).toBe(notYetDue.length);

    const again = await service.call(OPS, 'POST', '/admin/deadline-sweeps', { asOf: asOf.toISOString() });
    expect(again.body).toMatchObject({ escalated: [], reminded: [], escalatedVerifications: [] });
    expect(await outboxCount(TaskEscalatedV1.type)).toBe(overdue.length);
  });
});
