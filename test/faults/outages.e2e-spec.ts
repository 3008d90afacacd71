import type { Client } from 'pg';
import { resolveInfra, TcpProxy, TestSystem, testUscc, waitFor } from '@backbone/testing';

/**
 * Outages are not failures, and a restart serves at once:
 * - after kill -9 a service answers REST without waiting for its consumer group (which holds the dead
 *   member's partitions until its session expires); a graceful stop leaves the group at once;
 * - while a service's database is unreachable its REST answers 503 with Retry-After, /health names the
 *   database, and the events it consumes meanwhile wait instead of being counted as failed attempts:
 *   not one valid message becomes a dead letter, however long the outage lasts.
 *
 * The outage is made with a TCP proxy between supervision and PostgreSQL, so the shared database
 * stays up for everyone else (`npm run chaos` restarts the real PostgreSQL and Kafka on a stack of its own).
 */
describe('outages and restarts', () => {
  let system: TestSystem;
  let proxy: TcpProxy;
  let serial = 0;
  /** A long session: a restart that waited for the group would take at least this long. */
  const SESSION_MS = 120_000;

  beforeAll(async () => {
    const infra = await resolveInfra();
    proxy = await TcpProxy.start({ host: infra.database.host, port: infra.database.port });
    system = await TestSystem.start(['approval', 'supervision'], {
      approval: { CONSUMER_SESSION_TIMEOUT_MS: String(SESSION_MS) },
      supervision: {
        AUTO_CLAIM_DEPARTMENTS: '320700-SAMR',
        DATABASE_HOST: proxy.host,
        DATABASE_PORT: String(proxy.port),
        CONSUMER_SESSION_TIMEOUT_MS: String(SESSION_MS),
        // Without the outage rule, three quick attempts would dead-letter every message of the outage.
        CONSUMER_MAX_ATTEMPTS: '3',
        CONSUMER_BACKOFF_MS: '20',
      },
    });
  });

  afterAll(async () => {
    await proxy?.restore();
    await system?.stop();
    await proxy?.stop();
  });

  async function postApproval(): Promise<string> {
    const n = serial++;
    const response = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', {
      applicationNumber: `OUTAGE-${n}`,
      uscc: testUscc(300_000 + n),
      entityName: `连云港停机测试${n}号有限公司`,
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind: 'licence',
      outcome: 'granted',
      licenceNumber: `JY1320703${String(n).padStart(5, '0')}`,
    });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  /** One connection for the polling below: TestSystem.sql opens a new one on every call. */
  let approvalDb: Client | undefined;

  async function claimedCount(ids: string[]): Promise<number> {
    approvalDb ??= await system.sql('approval');
    const result = await approvalDb.query(
      `SELECT count(*) AS n FROM approval WHERE id = ANY($1::uuid[]) AND supervision_status = 'claimed'`,
      [ids],
    );
    return Number(result.rows[0].n);
  }

  it('serves REST after kill -9 without waiting for the consumer group', async () => {
    const warm = [await postApproval()];
    await waitFor('the warm-up loop', async () => (await claimedCount(warm)) === 1, { timeoutMs: 120_000 });

    const supervision = system.service('supervision');
    await supervision.crash();
    const spawnedAt = Date.now();
    const starting = supervision.start();
    const servedAt = await waitFor(
      'supervision to answer REST again',
      async () => {
        const response = await system.call('supervision', '320700-SAMR', 'GET', `/tasks?uscc=${testUscc(300_000)}`).catch(() => undefined);
        return response?.status === 200 ? Date.now() : undefined;
      },
      { timeoutMs: SESSION_MS, intervalMs: 50 },
    );
    await starting;
    const restartMs = servedAt - spawnedAt;
    process.stdout.write(`supervision served REST ${restartMs} ms after it was started again (kill -9; session ${SESSION_MS} ms)\n`);
    // The dead member holds its partitions for the whole session: answering sooner proves REST does not wait for the group.
    expect(restartMs).toBeLessThan(SESSION_MS);

    // And the loop closes again once the group has handed the partitions over.
    const after = [await postApproval()];
    await waitFor('a loop after the restart', async () => (await claimedCount(after)) === 1, { timeoutMs: 3 * SESSION_MS });
  });

  it('a graceful stop leaves the consumer group at once', async () => {
    const admin = system.kafka().admin();
    await admin.connect();
    try {
      const group = system.topic('supervision');
      const members = async () => {
        const [description] = (await admin.describeGroups([group])).groups;
        return description.state === 'Stable' ? description.members.length : -1;
      };
      const replica = await system.startReplica('supervision');
      await waitFor('the replica in the group', async () => (await members()) === 2, { timeoutMs: 3 * SESSION_MS, intervalMs: 250 });
      const stoppedAt = Date.now();
      await replica.stop();
      await waitFor('the group without the replica', async () => (await members()) === 1, { timeoutMs: SESSION_MS, intervalMs: 100 });
      const leftMs = Date.now() - stoppedAt;
      process.stdout.write(`the stopped replica was out of the group ${leftMs} ms after SIGTERM (session ${SESSION_MS} ms)\n`);
      // Without a LeaveGroup the coordinator would keep the member for its whole session.
      expect(leftMs).toBeLessThan(SESSION_MS / 2);
    } finally {
      await admin.disconnect();
    }
  });

  it('a database outage answers 503 and never dead-letters a valid message', async () => {
    const supervisionDb = await system.sql('supervision');
    const deadLettersBefore = Number((await supervisionDb.query('SELECT count(*) AS n FROM dead_letter')).rows[0].n);

    await proxy.cut();
    const duringOutage: string[] = [];
    for (let i = 0; i < 20; i++) duringOutage.push(await postApproval());

    // REST: 503 with Retry-After, not 500; /health names the database.
    const tasks = await fetch(`${system.service('supervision').url}/tasks?uscc=${testUscc(300_000)}`, {
      headers: { 'x-api-key': 'test-key-market-regulator-320700' },
    });
    expect(tasks.status).toBe(503);
    expect(Number(tasks.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await tasks.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', dependency: 'database' });
    const health = await fetch(`${system.service('supervision').url}/health`);
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).not.toBeNull();
    const healthBody = (await health.json()) as { details: { unavailable: string[]; checks: Record<string, { ok: boolean }> } };
    expect(healthBody.details.unavailable).toEqual(['database']);
    expect(healthBody.details.checks.kafka.ok).toBe(true);

    // Longer than every attempt with backoff together (3 attempts, 20 ms, 40 ms): the messages arrive and wait.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await proxy.restore();

    await waitFor('every loop of the outage closed', async () => (await claimedCount(duringOutage)) === duringOutage.length, {
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    expect(Number((await supervisionDb.query('SELECT count(*) AS n FROM dead_letter')).rows[0].n)).toBe(deadLettersBefore);
    const health2 = await fetch(`${system.service('supervision').url}/health`);
    expect(health2.status).toBe(200);
  });
});
