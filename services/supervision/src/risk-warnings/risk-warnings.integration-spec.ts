import { DataSource } from 'typeorm';
import { InProcessService, waitFor, KEEP_PUBLISHED } from '@backbone/testing';
import { loadSupervisionConfig } from '../supervision.config';
import { SUPERVISION_SERVICE, SupervisionModule } from '../supervision.module';
import { LiftRiskWarningService } from './lift-risk-warning/lift-risk-warning.service';

/**
 * Risk warnings kept by supervision against real PostgreSQL (its migrations) and Kafka: raised and ended
 * once, each end published once through the outbox under the warning's own key, expiry by the sweep.
 */
describe('risk warnings at supervision, persisted', () => {
  let service: InProcessService;
  let dataSource: DataSource;

  beforeAll(async () => {
    service = await InProcessService.start({
      service: SUPERVISION_SERVICE,
      loadConfig: loadSupervisionConfig,
      module: (config) => SupervisionModule.forRoot(config),
      clients: { '320700-SAMR': 'it-key-market-regulator-320700', 'PLATFORM-OPS': 'it-key-platform-operations-0001' },
      env: { DEADLINE_SWEEP_INTERVAL_MS: '0', ...KEEP_PUBLISHED },
    });
    dataSource = service.dataSource;
  });

  afterAll(async () => {
    await service?.stop();
  });

  const warning = (reference: string, endsAt: string) => ({
    reference,
    level: 'yellow',
    title: '药品零售风险预警',
    endsAt,
    scope: { licenceItemCodes: ['DRUG-RETAIL-LICENCE'] },
    concerns: ['处方药违规销售'],
    measures: ['加密抽查'],
  });

  const outboxOf = (warningId: string): Promise<{ event_type: string; message_key: string; value: Buffer }[]> =>
    dataSource.query(`SELECT event_type, message_key, value FROM outbox WHERE message_key = $1 ORDER BY id`, [`risk-warning:${warningId}`]);

  it('raises once per reference, notifying the catalog’s supervising department', async () => {
    const raised = await service.call('320700-SAMR', 'POST', '/risk-warnings', warning('IT-YJ-1', '2099-01-01T00:00:00+08:00'));
    expect(raised).toMatchObject({ status: 201, body: { level: 'yellow', notifiedDepartments: ['320700-MPA'], raisedBy: '320700-SAMR' } });
    const again = await service.call('320700-SAMR', 'POST', '/risk-warnings', warning('IT-YJ-1', '2099-01-01T00:00:00+08:00'));
    expect(again).toMatchObject({ status: 409, body: { code: 'DUPLICATE_RISK_WARNING' } });
    const events = await outboxOf(raised.body.id);
    expect(events.map((row) => row.event_type)).toEqual(['backbone.supervision.risk-warning-raised.v1']);
    expect(JSON.parse(events[0].value.toString())).toMatchObject({ subject: `risk-warning:${raised.body.id}` });
  });

  it('a past end or an empty period is refused with the field named; nothing stored', async () => {
    const past = await service.call('320700-SAMR', 'POST', '/risk-warnings', warning('IT-YJ-PAST', '2020-01-01T00:00:00+08:00'));
    expect(past).toMatchObject({ status: 422, body: { code: 'RISK_WARNING_PERIOD' } });
    expect(past.body.detail).toMatch(/endsAt/);
    expect(await dataSource.query(`SELECT 1 FROM risk_warning WHERE reference = 'IT-YJ-PAST'`)).toEqual([]);
  });

  it('expires at its end, once, by the sweep; a lift after that is refused', async () => {
    const endsAt = new Date(Date.now() + 1_500);
    const raised = await service.call('320700-SAMR', 'POST', '/risk-warnings', warning('IT-YJ-2', endsAt.toISOString()));
    expect(raised.status).toBe(201);
    const id: string = raised.body.id;
    const expiries = service.app.get(LiftRiskWarningService);
    expect(await expiries.expire(new Date(endsAt.getTime() - 1))).not.toContain(id);
    await waitFor('the end of the warning', () => Date.now() > endsAt.getTime() + 50, { intervalMs: 100 });
    const swept = await service.call('PLATFORM-OPS', 'POST', '/admin/risk-warning-expiries');
    expect(swept).toMatchObject({ status: 200, body: { expired: [id] } });
    expect((await service.call('PLATFORM-OPS', 'POST', '/admin/risk-warning-expiries')).body.expired).toEqual([]);
    const stored = await service.call('320700-SAMR', 'GET', `/risk-warnings/${id}`);
    expect(stored.body).toMatchObject({
      active: false,
      endReason: 'expired',
      endedBy: 'scheduler',
      endedAt: endsAt.toISOString(),
      tasks: [],
    });
    const lift = await service.call('320700-SAMR', 'POST', `/risk-warnings/${id}/lift`, {});
    expect(lift).toMatchObject({ status: 409, body: { code: 'RISK_WARNING_ENDED' } });
    expect((await outboxOf(id)).map((row) => row.event_type)).toEqual([
      'backbone.supervision.risk-warning-raised.v1',
      'backbone.supervision.risk-warning-lifted.v1',
    ]);
    const open = await service.call('320700-SAMR', 'GET', '/risk-warnings');
    expect(open.body.warnings.map((w: { id: string }) => w.id)).not.toContain(id);
  });
});
