import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

/**
 * A receiver for the backbone's webhooks (shown in the README): it checks the Standard Webhooks
 * signature with the subscription's secret, refuses anything else with 401, hands each event on once
 * per webhook-id, and answers 500 when handling failed, so that the backbone retries.
 */
export function webhookReceiver(secret: string, handle: (event: Record<string, unknown>) => Promise<void>): Server {
  const webhook = new Webhook(secret);
  const handled = new Set<string>(); // in production: a table with a unique key on webhook-id
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => void respond());
    async function respond() {
      const body = Buffer.concat(chunks).toString('utf8');
      let event: Record<string, unknown>;
      try {
        // checks webhook-signature over webhook-id, webhook-timestamp (±5 min) and the exact body
        event = webhook.verify(body, request.headers as Record<string, string>) as Record<string, unknown>;
      } catch {
        response.writeHead(401).end();
        return;
      }
      const id = request.headers['webhook-id'] as string;
      try {
        if (!handled.has(id)) await handle(event); // a retry of an event already handled is only acknowledged
        handled.add(id);
        response.writeHead(204).end();
      } catch {
        response.writeHead(500).end();
      }
    }
  });
}
