import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessService, testUscc } from '@backbone/testing';
import { loadCreditConfig } from '../src/credit.config';
import { CREDIT_SERVICE, CreditModule } from '../src/credit.module';

const SAMR = '320700-SAMR';
const OPS = 'PLATFORM-OPS';
const KEYS = { [SAMR]: 'edge-key-market-regulator-32070', [OPS]: 'edge-key-platform-operations-01' };

/** One raw HTTP/1.1 exchange: what a careless or hostile client can send that fetch() would not. */
function rawExchange(url: string, request: string, waitMs = 5000): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let data = '';
    const done = () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: rest.join('\r\n\r\n') });
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      data += chunk;
      const [head, body] = data.split('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(head ?? '');
      if (length && body !== undefined && Buffer.byteLength(body) >= Number(length[1])) {
        socket.destroy();
        done();
      }
    });
    socket.on('close', () => (data ? done() : reject(new Error('connection closed without an answer'))));
    socket.on('error', reject);
    setTimeout(() => {
      socket.destroy();
      if (!data) reject(new Error('no answer'));
    }, waitMs).unref();
  });
}

/**
 * The HTTP edge every service shares (libs/platform/src/http-edge.ts), through the credit service:
 * each malformed request gets a problem response with its correlation id, never a 5xx or a dropped socket.
 */
describe('the HTTP edge refuses malformed requests with problem responses', () => {
  let service: InProcessService;
  const uscc = testUscc(900_001);

  beforeAll(async () => {
    service = await InProcessService.start({
      service: CREDIT_SERVICE,
      loadConfig: loadCreditConfig,
      module: (config) => CreditModule.forRoot(config),
      clients: KEYS,
      env: { HTTP_BODY_LIMIT_BYTES: '4096', HTTP_REQUEST_TIMEOUT_MS: '1500', OPERATOR_DEPARTMENTS: OPS },
    });
  });

  afterAll(async () => {
    await service?.stop();
  });

  async function post(path: string, body: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEYS[SAMR], ...headers },
      body,
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  }

  const objections = `/credit-records/${uscc}/objections`;

  function expectProblem(result: { status: number; headers: Headers; body: any }, status: number, code: string) {
    expect(result.status).toBe(status);
    expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(result.body).toMatchObject({ status, code });
    expect(result.body.correlationId).toEqual(expect.any(String));
    expect(result.headers.get('x-correlation-id')).toBe(result.body.correlationId);
  }

  it('answers a body over the limit with 413, a malformed body with 400, and carries the caller’s correlation id', async () => {
    expectProblem(await post(objections, JSON.stringify({ grounds: 'x'.repeat(5000) })), 413, 'PAYLOAD_TOO_LARGE');
    const malformed = await post(objections, '{"grounds": "unterminated', { 'x-correlation-id': 'corr-edge-1' });
    expectProblem(malformed, 400, 'MALFORMED_JSON');
    expect(malformed.body.correlationId).toBe('corr-edge-1');
    expect(JSON.stringify(malformed.body)).not.toContain('unterminated');
  });

  it('refuses a wrong content type with 415, and a body that is not an object with 400', async () => {
    expectProblem(
      await post(objections, 'grounds=x', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectProblem(await post(objections, '{}', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await post(objections, '[1,2]'), 400, 'VALIDATION_FAILED');
  });

  it('refuses deep nesting, prototype keys and control characters, naming the field', async () => {
    const deep = await post(objections, `{"grounds":${'['.repeat(1500)}${']'.repeat(1500)}}`);
    expectProblem(deep, 400, 'VALIDATION_FAILED');
    expect(deep.body.errors[0].rule).toBe('maxDepth');
    const proto = await post(objections, '{"entryId":"1","grounds":"x","__proto__":{"admin":true}}');
    expectProblem(proto, 400, 'VALIDATION_FAILED');
    expect(proto.body.errors[0]).toMatchObject({ field: '__proto__', rule: 'forbiddenKey' });
    const ctor = await post(objections, '{"entryId":"1","grounds":"x","constructor":{"prototype":{}}}');
    expect(ctor.body.errors[0]).toMatchObject({ field: 'constructor', rule: 'forbiddenKey' });
    const nul = await post(objections, JSON.stringify({ entryId: '1', grounds: 'a\u0000b' }));
    expectProblem(nul, 400, 'VALIDATION_FAILED');
    expect(nul.body.errors[0]).toMatchObject({ field: 'grounds', rule: 'noControlCharacters' });
    const query = await fetch(`${service.url}/credit-records/${uscc}?asOf=2026-01-01%00`);
    expect(query.status).toBe(400);
  });

  it.each(['2025-02-30', '2026-W49', '20250230', '2026-366', '2026-02-28T25:00:00Z', 'yesterday'])(
    'refuses asOf=%s on the public credit record (no rollover, no week or ordinal dates)',
    async (asOf) => {
      const response = await fetch(`${service.url}/credit-records/${uscc}?asOf=${encodeURIComponent(asOf)}`);
      const body = (await response.json()) as any;
      expect(response.status).toBe(400);
      expect(body.errors[0]).toMatchObject({ field: 'asOf' });
      expect(JSON.stringify(body)).not.toContain(asOf);
    },
  );

  it('accepts full RFC 3339 dates and date-times', async () => {
    for (const asOf of ['2026-02-28', '2026-02-28T12:00:00+08:00']) {
      expect((await fetch(`${service.url}/credit-records/${uscc}?asOf=${encodeURIComponent(asOf)}`)).status).toBe(200);
    }
  });

  it('answers a Content-Length that promises more than is sent with 408, and one that promises less with 400s', async () => {
    const head = (length: number) =>
      `POST ${objections} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-api-key: ${KEYS[SAMR]}\r\nContent-Length: ${length}\r\n\r\n`;
    const short = await rawExchange(service.url, `${head(100)}{"grounds":"x"}`);
    expect(short.status).toBe(408);
    expect(short.headers).toContain('application/problem+json');
    expect(JSON.parse(short.body)).toMatchObject({ code: 'REQUEST_TIMEOUT', correlationId: expect.any(String) });
    const long = await rawExchange(service.url, `${head(5)}{"grounds":"x","entryId":"1"}`);
    expect(long.status).toBe(400);
    expect(long.headers).toContain('application/problem+json');
  });

  it('refuses an id beyond bigint with 400, not a database error', async () => {
    const response = await service.call(OPS, 'GET', '/admin/dead-letters/99999999999999999999');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers unknown routes without echoing the path', async () => {
    const response = await fetch(`${service.url}/no-such-route-%3Cscript%3E`);
    const text = await response.text();
    expect(response.status).toBe(404);
    expect(text).not.toContain('script');
    expect(JSON.parse(text)).toMatchObject({ code: 'NOT_FOUND', correlationId: expect.any(String) });
  });

  it('sets the security headers, no X-Powered-By, no-store on authenticated answers, and no CORS unless configured', async () => {
    const authenticated = await fetch(`${service.url}/credit-records/${uscc}/full`, {
      headers: { 'x-api-key': KEYS[SAMR], origin: 'https://evil.example' },
    });
    expect(authenticated.status).toBe(200);
    expect(authenticated.headers.get('x-content-type-options')).toBe('nosniff');
    expect(authenticated.headers.get('x-frame-options')).toBe('DENY');
    expect(authenticated.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(authenticated.headers.get('x-powered-by')).toBeNull();
    expect(authenticated.headers.get('cache-control')).toBe('no-store');
    expect(authenticated.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers OPTIONS with the allowed methods', async () => {
    const response = await fetch(`${service.url}/credit-records/${uscc}`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toContain('GET');
    expect((await fetch(`${service.url}/nothing-here`, { method: 'OPTIONS' })).status).toBe(404);
  });
});

describe('abuse controls: rate limits, wrong keys, hashed and rotated keys', () => {
  let service: InProcessService;
  let dir: string;
  const keysFile = () => join(dir, 'api-keys');
  const sha = (key: string) => createHash('sha256').update(key).digest('hex');
  const uscc = testUscc(900_002);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'edge-keys-'));
    writeFileSync(keysFile(), `# rotated keys\nsha256:${sha('file-key-old-000000000001')}=320700-HEALTH\n`);
    service = await InProcessService.start({
      service: CREDIT_SERVICE,
      loadConfig: loadCreditConfig,
      module: (config) => CreditModule.forRoot(config),
      clients: KEYS,
      env: {
        RATE_LIMIT_PER_MINUTE: '8',
        AUTH_FAILURES_BEFORE_DELAY: '2',
        AUTH_FAILURES_BEFORE_BLOCK: '4',
        API_KEYS_FILE: keysFile(),
        API_KEYS: `${KEYS[SAMR]}=${SAMR},sha256:${sha('expired-key-0000000000001')}=320700-MPA@2020-01-01T00:00:00Z`,
      },
    });
  });

  afterAll(async () => {
    await service?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (key?: string) => fetch(`${service.url}/credit-records/${uscc}/full`, { headers: key ? { 'x-api-key': key } : {} });

  it('limits requests per API key with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 10; i++) {
      const response = await get(KEYS[SAMR]);
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.slice(0, 8).every((status) => status === 200)).toBe(true);
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited!.json()) as any).code).toBe('TOO_MANY_REQUESTS');
  });

  it('takes keys from a file of hashes, rotated without a restart; an expired key authenticates nobody', async () => {
    expect((await get('file-key-old-000000000001')).status).toBe(200);
    writeFileSync(keysFile(), `sha256:${sha('file-key-new-000000000002')}=320700-HEALTH\n`);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await get('file-key-new-000000000002')).status).toBe(200);
    expect((await get('file-key-old-000000000001')).status).toBe(401);
    const expired = await get('expired-key-0000000000001');
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as any).detail).toContain('expired');
  });

  it('slows down repeated wrong keys from one address, then answers 429 with Retry-After', async () => {
    const timings: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const started = Date.now();
      last = await get(`wrong-key-${i}-00000000000000`);
      timings.push(Date.now() - started);
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Math.max(...timings)).toBeGreaterThanOrEqual(100);
  });
});
