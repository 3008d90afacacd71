import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { workContext } from './context';
import { createServiceLogger, logRequest, type LoggedRequest } from './logging';
import { correlationIdOf } from './problem';

/** What one request leaves in the log: nothing at info when it succeeded, a warning or an error when not. */
describe('request logging', () => {
  let server: Server;
  let lines: Array<Record<string, unknown>>;
  let raw: string[];

  const listen = async (logger: Logger) => {
    // as the platform module's middleware does: the request runs in a work context carrying its
    // correlation id, and its line is written when the response has finished
    server = createServer((request: LoggedRequest, response) => {
      const startedAt = process.hrtime.bigint();
      request.caller = { department: 'TEST-DEPT' };
      response.once('finish', () => logRequest(logger, request, response, '/:status', startedAt));
      workContext.run({ correlationId: correlationIdOf(request) }, () => {
        logger.info('inside the request');
        response.statusCode = Number(request.url?.slice(1)) || 200;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  };

  const sinkFor = () => {
    lines = [];
    raw = [];
    return new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          raw.push(line);
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
  };

  const call = (path: string, correlationId: string) =>
    new Promise<void>((resolve, reject) => {
      const { port } = server.address() as AddressInfo;
      httpRequest({ host: '127.0.0.1', port, path, headers: { 'x-correlation-id': correlationId } }, (response) => {
        response.resume();
        response.on('end', () => setImmediate(resolve));
      })
        .on('error', reject)
        .end();
    });

  const completions = () => lines.filter((line) => line.message === 'request completed' || line.message === 'request failed');

  describe('at level info', () => {
    beforeAll(async () => {
      await listen(createServiceLogger('test', 'info', sinkFor()));
      await call('/201', 'c-201');
      await call('/404', 'c-404');
      await call('/503', 'c-503');
      await call('/health', 'c-health');
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('logs a success at debug (not at info), a 4xx as a warning and a 5xx as an error', () => {
      expect(completions().map((line) => [line.correlationId, line.level, line.message])).toEqual([
        ['c-404', 'warn', 'request completed'],
        ['c-503', 'error', 'request failed'],
      ]);
    });

    it("names the method, path, route, status, time taken, and for a failure the caller's department and address", () => {
      const [notFound] = completions();
      expect(notFound).toMatchObject({
        service: 'test',
        method: 'GET',
        url: '/404',
        route: '/:status',
        status: 404,
        department: 'TEST-DEPT',
      });
      expect(notFound.ms).toEqual(expect.any(Number));
      expect(notFound.remoteAddress).toEqual(expect.stringContaining('127.0.0.1'));
      // never the request's headers (API keys) nor its body
      expect(notFound.req).toBeUndefined();
      expect(JSON.stringify(notFound)).not.toContain('x-correlation-id');
    });

    it('lines written inside a request carry its id', () => {
      const inside = lines.filter((line) => line.message === 'inside the request');
      expect(inside.map((line) => line.correlationId)).toEqual(['c-201', 'c-404', 'c-503', 'c-health']);
    });

    it('writes the correlation id once per line, inside a request and in its completion line', () => {
      expect(raw.length).toBeGreaterThan(0);
      for (const line of raw) expect(line.match(/"correlationId"/g) ?? []).toHaveLength(1);
    });
  });

  describe('at level debug', () => {
    beforeAll(async () => {
      await listen(createServiceLogger('test', 'debug', sinkFor()));
      await call('/201', 'c-201');
      await call('/health', 'c-health');
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('logs a success too, without the caller (it is in the access log), and never a health probe', () => {
      expect(completions()).toEqual([
        expect.objectContaining({ level: 'debug', correlationId: 'c-201', status: 201, message: 'request completed' }),
      ]);
      expect(completions()[0].department).toBeUndefined();
    });
  });
});
