import { GatewayProcess, TestSystem, testUscc, waitFor } from '@backbone/testing';
import { randomUUID } from 'node:crypto';

const APPROVAL_KEY = 'test-key-approval-bureau-320700';
const REGULATOR_KEY = 'test-key-market-regulator-320700';

/**
 * One entry point: agencies reach every service through the gateway (nginx with the repository's
 * configuration, deploy/gateway), one host and port, one prefix per service. The loop works through it,
 * the correlation id travels and is logged, oversized bodies are refused before any service sees them.
 */
describe('the gateway', () => {
  let system: TestSystem;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    system = await TestSystem.start(['approval', 'supervision']);
    gateway = await GatewayProcess.start({
      approval: system.service('approval').url,
      supervision: system.service('supervision').url,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await system?.stop();
  });

  const send = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${gateway.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.key ? { 'x-api-key': init.key } : {}), ...init.headers },
    });

  it('routes each prefix to its service: an approval posted at /approval/ reaches a task at /supervision/', async () => {
    const uscc = testUscc(7_100_001);
    const correlationId = `gw-${randomUUID()}`;
    const decided = await send('/approval/approvals', {
      method: 'POST',
      key: APPROVAL_KEY,
      headers: { 'x-correlation-id': correlationId },
      body: JSON.stringify({
        applicationNumber: 'GW-0001',
        uscc,
        entityName: '连云港网关测试有限公司',
        itemCode: 'FOOD-BUSINESS-LICENCE',
        regionCode: '320703',
        kind: 'licence',
        outcome: 'granted',
        licenceNumber: 'JY13207030101',
      }),
    });
    expect(decided.status).toBe(201);
    expect(decided.headers.get('x-correlation-id')).toBe(correlationId);
    const approval = (await decided.json()) as { id: string };

    const task = await waitFor('the task, read through the gateway', async () => {
      const found = await send(`/supervision/tasks?approvalId=${approval.id}`, { key: REGULATOR_KEY });
      const tasks = (await found.json()) as { assignedDepartment: string }[];
      return tasks.length === 1 ? tasks[0] : undefined;
    });
    expect(task.assignedDepartment).toBe('320700-SAMR');

    // The access log names the call with its correlation id, route and the service's answer; never the key.
    const entry = await waitFor('the access log line', () =>
      gateway.accessLogEntries().find((line) => line.correlationId === correlationId && line.method === 'POST'),
    );
    expect(entry).toMatchObject({ uri: '/approval/approvals', status: 201, upstream: new URL(system.service('approval').url).host });
    expect(JSON.stringify(gateway.accessLogEntries())).not.toContain(APPROVAL_KEY);
  });

  it('gives every answer a correlation id, made at the gateway when the caller sent none', async () => {
    const response = await send('/approval/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('hands the correlation id to the service on every route (a location setting its own proxy headers would drop it)', async () => {
    // The services' problem answers carry the id they were given: the same as the gateway's header.
    for (const [path, key] of [
      ['/approval/approvals/00000000-0000-4000-8000-000000000001', APPROVAL_KEY],
      ['/supervision/tasks/00000000-0000-4000-8000-000000000001', REGULATOR_KEY],
    ]) {
      const given = await send(path, { key, headers: { 'x-correlation-id': `gw-route-${path.split('/')[1]}` } });
      expect(given.status).toBe(404);
      expect(((await given.json()) as { correlationId: string }).correlationId).toBe(`gw-route-${path.split('/')[1]}`);
      const made = await send(path, { key });
      const madeId = made.headers.get('x-correlation-id');
      expect(madeId).toMatch(/^[0-9a-f]{32}$/);
      expect(((await made.json()) as { correlationId: string }).correlationId).toBe(madeId);
    }
  });

  it('refuses a body over the limit with 413 problem+json before the service sees it, and writes nothing', async () => {
    const sql = await system.sql('approval');
    const before = Number((await sql.query('SELECT count(*) AS n FROM approval')).rows[0].n);
    const response = await send('/approval/approvals', {
      method: 'POST',
      key: APPROVAL_KEY,
      headers: { 'x-correlation-id': 'gw-too-large' },
      body: JSON.stringify({ applicationNumber: 'GW-BIG', entityName: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', correlationId: 'gw-too-large' });
    const after = Number((await sql.query('SELECT count(*) AS n FROM approval')).rows[0].n);
    expect(after).toBe(before);
    // nginx writes the access log line after it has answered: wait for it as for the 201 above.
    const entry = await waitFor('the access log line of the 413', () =>
      gateway.accessLogEntries().find((line) => line.correlationId === 'gw-too-large'),
    );
    expect(entry).toMatchObject({ status: 413, upstream: '' });
  });

  it('answers unknown routes with 404 and a service that is down with 503, both problem+json', async () => {
    const unknown = await send('/nowhere/approvals');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NO_SUCH_ROUTE' });
    const down = await send('/credit/health');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('serves OpenAPI documents whose server is the gateway prefix, so their paths work through it', async () => {
    const document = (await (await send('/approval/api/docs-json')).json()) as { servers: { url: string }[]; paths: object };
    expect(document.servers.map((server) => server.url)).toEqual(['/approval']);
    expect(Object.keys(document.paths)).toContain('/approvals/{id}');
  });
});
