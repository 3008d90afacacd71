import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { InProcessService, waitFor } from '@backbone/testing';
import { loadIntegrationConfig } from '../../integration.config';
import { INTEGRATION_SERVICE, IntegrationModule } from '../../integration.module';

/**
 * The dispatcher against real PostgreSQL: a subscription whose host the operator has since taken off
 * WEBHOOK_ALLOWED_HOSTS gets no request, while one on the list is delivered.
 */
describe('Webhook dispatcher', () => {
  let service: InProcessService;
  let receiver: Server;
  const paths: string[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      paths.push(request.url ?? '');
      request.resume();
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    service = await InProcessService.start({
      service: INTEGRATION_SERVICE,
      loadConfig: loadIntegrationConfig,
      module: (config) => IntegrationModule.forRoot(config),
      clients: { '320700-HOTLINE': 'test-key-hotline-12345-320700' },
      env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '50', WEBHOOK_BACKOFF_MS: '60000' },
    });
  });

  afterAll(async () => {
    await service?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('re-checks the allow-list before each attempt and sends nothing to a host taken off it', async () => {
    const port = (receiver.address() as AddressInfo).port;
    // Both rows as a subscription registered under an earlier list would have left them.
    const allowed = randomUUID();
    const removed = randomUUID();
    for (const [id, url] of [
      [allowed, `http://127.0.0.1:${port}/allowed`],
      [removed, `http://localhost:${port}/removed`],
    ]) {
      await service.dataSource.query(
        `INSERT INTO webhook_subscription (id, department, url, secret, event_types) VALUES ($1, '320700-HOTLINE', $2, 'whsec_test', '{}')`,
        [id, url],
      );
      await service.dataSource.query(
        `INSERT INTO webhook_delivery (subscription_id, event_id, event_type, subject, payload) VALUES ($1, $2, 'test.v1', 'S', '{}')`,
        [id, randomUUID()],
      );
    }
    const delivery = async (subscription: string) =>
      (
        await service.dataSource.query(`SELECT status, attempts, last_error FROM webhook_delivery WHERE subscription_id = $1`, [
          subscription,
        ])
      )[0];
    await waitFor(
      'one delivered, one refused',
      async () => (await delivery(allowed)).status === 'delivered' && (await delivery(removed)).attempts === 1,
    );
    expect(await delivery(removed)).toMatchObject({ status: 'pending', last_error: expect.stringContaining('WEBHOOK_ALLOWED_HOSTS') });
    expect(paths).toEqual(['/allowed']);
  });
});
