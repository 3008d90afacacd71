import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pinoHttp, { type Options } from 'pino-http';
import { workContext } from './context';
import { loggerParams } from './logging';

/** What one request leaves in the log at level info: nothing when it succeeded, a warning or an error when not. */
describe('request logging', () => {
  let server: Server;
  let lines: Array<Record<string, unknown>>;
  let raw: string[];

  beforeAll(async () => {
    lines = [];
    raw = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          raw.push(line);
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    const options = loggerParams('test', 'info').pinoHttp as Options;
    const logged = pinoHttp(options, sink);
    server = createServer((request, response) => {
      logged(request, response);
      // as the platform module's middleware does: the rest of the request runs in a work context
      // carrying its correlation id, so the completion line is written inside it too
      workContext.run({ correlationId: String(request.id) }, () => {
        request.log.info('inside the request');
        response.statusCode = Number(request.url?.slice(1));
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = (status: number) =>
    new Promise<void>((resolve, reject) => {
      const { port } = server.address() as AddressInfo;
      httpRequest({ host: '127.0.0.1', port, path: `/${status}`, headers: { 'x-correlation-id': `c-${status}` } }, (response) => {
        response.resume();
        response.on('end', () => setImmediate(resolve));
      })
        .on('error', reject)
        .end();
    });

  it('logs a success at debug (not at info), a 4xx as a warning and a 5xx as an error', async () => {
    await call(201);
    await call(404);
    await call(503);
    const completed = lines.filter((line) => line.message === 'request completed' || line.message === 'request errored');
    expect(completed.map((line) => [line.correlationId, line.level])).toEqual([
      ['c-404', 'warn'],
      ['c-503', 'error'],
    ]);
  });

  it('lines written inside a request carry its id, not the whole request', () => {
    const inside = lines.filter((line) => line.message === 'inside the request');
    expect(inside).toHaveLength(3);
    for (const line of inside) {
      expect(line.req).toBeUndefined();
      expect(line.reqId).toEqual(expect.stringMatching(/^c-/));
    }
  });

  it('writes the correlation id once per line, inside a request and in its completion line', () => {
    expect(raw.length).toBeGreaterThan(0);
    for (const line of raw) expect(line.match(/"correlationId"/g) ?? []).toHaveLength(1);
  });
});
