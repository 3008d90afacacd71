import type { AddressInfo } from 'node:net';
import * as http from 'node:http';
import { ExpressAdapter } from '@nestjs/platform-express';
import express, { Express } from 'express';
import { PrototypedExpressAdapter } from '@backbone/platform';

/**
 * The services' HTTP server builds requests and responses with Express's prototypes from the start, so
 * that Express's per-request `setPrototypeOf` changes nothing (ADR 0089); Express works on them as
 * before. Against a real server on a local port, with Nest's own adapter as the contrast.
 */
async function serve(adapter: ExpressAdapter) {
  adapter.initHttpServer({});
  const app = adapter.getInstance<Express>();
  const server = adapter.getHttpServer() as http.Server;
  const born: Array<{ request: object | null; response: object | null }> = [];
  // Before Express's own listener: the objects as the server made them.
  server.prependListener('request', (request, response) =>
    born.push({ request: Object.getPrototypeOf(request), response: Object.getPrototypeOf(response) }),
  );
  app.post('/probe/:id', express.json(), (request, response) => {
    response
      .status(201)
      .set('x-probe', request.get('x-probe') ?? '')
      .json({ id: request.params.id, path: request.path, body: request.body });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { app, server, born, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('PrototypedExpressAdapter', () => {
  it('serves requests and responses born with Express’s prototypes, which Express then leaves as they are', async () => {
    const { app, born, url, close } = await serve(new PrototypedExpressAdapter());
    try {
      const response = await fetch(`${url}/probe/7?x=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-probe': 'p' },
        body: JSON.stringify({ a: [1, '统一社会信用代码'] }),
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(response.headers.get('x-probe')).toBe('p');
      expect(await response.json()).toEqual({ id: '7', path: '/probe/7', body: { a: [1, '统一社会信用代码'] } });
      expect(born).toHaveLength(1);
      expect(born[0].request).toBe(app.request);
      expect(born[0].response).toBe(app.response);
      // Still Node's: Express's prototypes inherit from them.
      expect(Object.create(born[0].request as object)).toBeInstanceOf(http.IncomingMessage);
      expect(Object.create(born[0].response as object)).toBeInstanceOf(http.ServerResponse);
    } finally {
      await close();
    }
  });

  it('differs from Nest’s own adapter, whose objects Express re-prototypes at every request', async () => {
    const { app, born, url, close } = await serve(new ExpressAdapter());
    try {
      const response = await fetch(`${url}/probe/8`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(201);
      expect(born[0].request).toBe(http.IncomingMessage.prototype);
      expect(born[0].response).toBe(http.ServerResponse.prototype);
      expect(born[0].request).not.toBe(app.request);
    } finally {
      await close();
    }
  });
});
