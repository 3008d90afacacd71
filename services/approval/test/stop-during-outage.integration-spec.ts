import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TaskAssignedV1 } from '@backbone/contracts';
import { InProcessService, resolveInfra, TcpProxy, testUscc, waitFor } from '@backbone/testing';
import { loadApprovalConfig } from '../src/approval.config';
import { APPROVAL_SERVICE, ApprovalModule } from '../src/approval.module';

/**
 * The approval service in process, its database behind a TCP proxy that is cut while posts are in
 * flight and feedback events wait in its inbox: the posts are answered 503 (or 201 when written just
 * before), never 500, and the service stops while the database is still down (it neither waits for
 * the database nor keeps restarting its consumer: a stop leaves at once, ADR 0015).
 */
describe('approval stopped while its database is down', () => {
  let proxy: TcpProxy;
  let service: InProcessService | undefined;

  afterAll(async () => {
    await proxy?.restore();
    await service?.stop().catch(() => undefined);
    await proxy?.stop();
  });

  const application = (n: number) => ({
    applicationNumber: `STOP-OUTAGE-${randomUUID().slice(0, 8)}`,
    uscc: testUscc(777_000 + n),
    entityName: `连云港停机关停测试${n}号有限公司`,
    itemCode: 'FOOD-BUSINESS-LICENCE',
    regionCode: '320703',
    kind: 'licence',
    outcome: 'granted',
    licenceNumber: `JY1320703${777_000 + n}`,
  });

  it('answers 503 meanwhile and stops without waiting for the database', async () => {
    const infra = await resolveInfra();
    proxy = await TcpProxy.start({ host: infra.database.host, port: infra.database.port });
    service = await InProcessService.start({
      service: APPROVAL_SERVICE,
      loadConfig: loadApprovalConfig,
      module: (config) => ApprovalModule.forRoot(config),
      clients: { '320700-APPROVAL': 'it-key-approval-bureau-320700' },
      env: {
        DATABASE_HOST: proxy.host,
        DATABASE_PORT: String(proxy.port),
        CONSUMER_MAX_ATTEMPTS: '3',
        LICENCE_SWEEP_INTERVAL_MS: '0',
        // The 503s it answers on purpose would each be logged as an error.
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal',
      },
    });
    const posted = await service.call<{ id: string }>('320700-APPROVAL', 'POST', '/approvals', application(0));
    expect(posted.status).toBe(201);
    // The approval's decided event is out before the cut (the relay needs the database too).
    const sql: Client = await service.sql();
    await waitFor(
      'the decided event published',
      async () => Number((await sql.query('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL')).rows[0].n) === 0,
      { timeoutMs: 120_000, intervalMs: 250 },
    );

    const inFlight = Array.from({ length: 20 }, (_, i) =>
      service!.call('320700-APPROVAL', 'POST', '/approvals', application(i + 1)).then((response) => response.status),
    );
    await proxy.cut();
    const statuses = await Promise.all(inFlight);
    expect(statuses.filter((status) => status !== 201 && status !== 503)).toEqual([]);
    expect(statuses).toContain(503);

    // Feedback for the approval arrives while the database is down: it waits in the inbox.
    for (let i = 0; i < 5; i++)
      await service.publish(
        TaskAssignedV1,
        {
          taskId: randomUUID(),
          approvalId: posted.body.id,
          uscc: testUscc(777_000),
          itemCode: 'FOOD-BUSINESS-LICENCE',
          assignedDepartment: '320700-SAMR',
          routingRule: 'separated',
          claimDeadline: new Date(Date.now() + 86_400_000).toISOString(),
        },
        testUscc(777_000),
      );
    await waitFor('the inbox waiting on the database', async () => (await fetch(`${service!.url}/health`)).status === 503, {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    await new Promise((resolve) => setTimeout(resolve, 3000));

    // Nothing was dead-lettered because the database was down (read past the proxy).
    expect(Number((await sql.query('SELECT count(*) AS n FROM dead_letter')).rows[0].n)).toBe(0);
    // The stop completes with the database still down (jest's timeout is what a hang would meet).
    await service.stop();
    service = undefined;
  }, 600_000);
});
