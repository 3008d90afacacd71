import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import express from 'express';
import { Public, Roles } from './auth';
import type { BaseServiceConfig } from './config';
import { DirectRoutes, parseJson } from './direct-route';
import { Metrics } from './metrics';

/** What body-parser's JSON parser (strict, as the edge installs it) makes of a body: the value, or that it failed. */
async function bodyParserReads(server: Server, body: Buffer): Promise<{ value?: unknown; failed?: true }> {
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return (await response.json()) as { value?: unknown; failed?: true };
}

function directReads(body: Buffer): { value?: unknown; failed?: true } {
  try {
    return { value: parseJson(body) };
  } catch {
    return { failed: true };
  }
}

describe('parseJson', () => {
  let server: Server;

  beforeAll(async () => {
    const app = express();
    app.use(express.json({ strict: true, limit: 1_000_000 }));
    app.post('/', (request, response) => void response.json({ value: request.body as unknown }));
    app.use((_error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
      void _next;
      response.json({ failed: true });
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const bodies: Array<[string, Buffer]> = [
    ['an object', Buffer.from('{"a":1,"b":[true,null,"x"]}')],
    ['an array', Buffer.from('[1,{"a":2}]')],
    ['whitespace first', Buffer.from(' \t\r\n{"a":1}')],
    ['a byte-order mark first', Buffer.concat([bom, Buffer.from('{"a":"连云港"}')])],
    ['only a byte-order mark', bom],
    ['a byte-order mark, then whitespace', Buffer.concat([bom, Buffer.from('  {"a":1}')])],
    ['two byte-order marks', Buffer.concat([bom, bom, Buffer.from('{"a":1}')])],
    ['a string', Buffer.from('"text"')],
    ['a number', Buffer.from('42')],
    ['null', Buffer.from('null')],
    ['only whitespace', Buffer.from('   ')],
    ['broken JSON', Buffer.from('{"a":')],
    ['trailing text', Buffer.from('{"a":1} x')],
    ['a byte that is not UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])],
    ['a form feed first', Buffer.from('\f{"a":1}')],
    ['a non-breaking space first', Buffer.from('\u00a0{"a":1}')],
    ['an escaped lone surrogate', Buffer.from('{"a":"\\ud800"}')],
  ];

  it.each(bodies)('reads %s as body-parser does', async (_name, body) => {
    expect(directReads(body)).toEqual(await bodyParserReads(server, body));
  });
});

describe('DirectRoutes.install', () => {
  @Controller('things')
  class Things {
    @Roles('approver') @Post() make(@Body() _body: object) {}
    @Public() @Post('open') open() {}
    @UseGuards(class {}) @Roles('approver') @Post('guarded') guarded() {}
    @Roles('approver') @Post(':id/part') part() {}
  }

  const routes = (on: boolean) =>
    new DirectRoutes(
      { HTTP_DIRECT_ROUTES: on, HTTP_BODY_LIMIT_BYTES: 1024, RATE_LIMIT_PER_MINUTE: 10 } as BaseServiceConfig,
      undefined as never,
      {},
      undefined as never,
      undefined as never,
      undefined as never,
      new Reflector(),
      { httpAdapter: { getHttpServer: () => server } } as never,
      new Metrics(),
    );
  let server: Server;
  beforeEach(() => {
    server = createServer(() => undefined);
  });
  const install = (on: boolean, handler: keyof Things) =>
    routes(on).install({ controller: Things, handler, body: Object, answer: async () => ({ status: 200, body: {} }) });

  it("puts itself in front of the server's one request listener", () => {
    const before = server.listeners('request')[0];
    install(true, 'make');
    expect(server.listeners('request')).toHaveLength(1);
    expect(server.listeners('request')[0]).not.toBe(before);
  });

  it('does nothing when HTTP_DIRECT_ROUTES is false', () => {
    const before = server.listeners('request')[0];
    install(false, 'make');
    expect(server.listeners('request')).toEqual([before]);
  });

  it('refuses a route it could not answer as Nest does', () => {
    expect(() => install(true, 'open')).toThrow(/authenticated routes/);
    expect(() => install(true, 'guarded')).toThrow(/own __guards__/);
    expect(() => install(true, 'part')).toThrow(/path parameters/);
  });
});
