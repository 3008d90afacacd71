import { connect } from 'node:net';
import { Metrics } from '@backbone/platform';
import { InProcessService, resolveInfra, TcpProxy, testUscc } from '@backbone/testing';
import { loadApprovalConfig } from '../src/approval.config';
import { APPROVAL_SERVICE, ApprovalModule } from '../src/approval.module';

/**
 * POST /approvals by its direct path and through Express and Nest, compared (ADR 0128): two approval
 * instances, each on its own database (behind one TCP proxy), one with HTTP_DIRECT_ROUTES on and one
 * with it off, are sent the same requests in the same order — valid, repeated and conflicting
 * applications, every kind of bad input the path can meet, the rate budget spent, a body that stops, the
 * database gone, wrong keys until the address is blocked, and the requests the path must leave to
 * Express. Each answer must be the same (status, headers less the date and the budget's reset, body less
 * ids and times), and the direct path must have taken exactly the requests it should.
 */
const KEYS = {
  approver: 'it-key-approval-bureau-320700',
  health: 'it-key-health-bureau-320700-x',
  regulator: 'it-key-market-regulator-320700',
  entity: 'it-key-entity-own-credential-01',
} as const;
const ENTITY = 'ENTITY-91320700MA1MXXK01L';
const BUDGET = 40;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface Case {
  name: string;
  key?: string;
  headers?: Record<string, string>;
  /** The body as sent (a string or bytes); JSON of an object otherwise. */
  body: string | Buffer | object;
  path?: string;
  /** Whether the direct path takes the request (else it goes to Express). */
  taken: boolean;
}

const application = (n: number, overrides: Record<string, unknown> = {}) => ({
  applicationNumber: `DIRECT-${n}`,
  uscc: testUscc(881_000 + n),
  entityName: `连云港直通测试${n}号有限公司`,
  itemCode: 'FOOD-BUSINESS-LICENCE',
  regionCode: '320703',
  kind: 'licence',
  outcome: 'granted',
  licenceNumber: `JY1320703${881_000 + n}`,
  ...overrides,
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g;
/** Headers that differ between any two answers (the clock, the connection), or by when in its second a request came. */
const VARYING = new Set(['date', 'connection', 'keep-alive']);

/** An answer as compared: ids and times replaced by placeholders, the budget's reset by its presence. */
function comparable(status: number, headers: Headers, text: string): Answer {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (VARYING.has(name)) return;
    kept[name] = name === 'x-ratelimit-reset' ? '<seconds>' : name === 'content-length' ? '<length>' : value;
  });
  const normalised = text.replace(UUID, '<uuid>').replace(TIME, '<time>');
  let body: unknown = normalised;
  try {
    body = JSON.parse(normalised);
  } catch {
    // not JSON: compared as text
  }
  return { status, headers: kept, body };
}

describe('POST /approvals by its direct path and through Express and Nest', () => {
  let proxy: TcpProxy;
  let direct: InProcessService;
  let express: InProcessService;
  let sent = 0;

  beforeAll(async () => {
    const infra = await resolveInfra();
    proxy = await TcpProxy.start({ host: infra.database.host, port: infra.database.port });
    const start = (on: boolean) =>
      InProcessService.start({
        service: APPROVAL_SERVICE,
        loadConfig: loadApprovalConfig,
        module: (config) => ApprovalModule.forRoot(config),
        clients: { '320700-APPROVAL': KEYS.approver, '320700-HEALTH': KEYS.health, '320700-SAMR': KEYS.regulator, [ENTITY]: KEYS.entity },
        env: {
          HTTP_DIRECT_ROUTES: String(on),
          DATABASE_HOST: proxy.host,
          DATABASE_PORT: String(proxy.port),
          RATE_LIMIT_PER_MINUTE: String(BUDGET),
          HTTP_REQUEST_TIMEOUT_MS: '1000',
          AUTH_FAILURES_BEFORE_DELAY: '100',
          AUTH_FAILURES_BEFORE_BLOCK: '3',
          LICENCE_SWEEP_INTERVAL_MS: '0',
          // The 503s of the outage case would each be logged as an error.
          LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'fatal',
        },
      });
    [direct, express] = await Promise.all([start(true), start(false)]);
  });

  afterAll(async () => {
    await proxy?.restore();
    await Promise.all([direct?.stop(), express?.stop()]);
    await proxy?.stop();
  });

  async function send(service: InProcessService, request: Case, correlationId: string): Promise<Answer> {
    const body =
      typeof request.body === 'string' || Buffer.isBuffer(request.body) ? request.body : Buffer.from(JSON.stringify(request.body));
    const response = await fetch(`${service.url}${request.path ?? '/approvals'}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-correlation-id': correlationId,
        ...(request.key === undefined ? { 'x-api-key': KEYS.approver } : request.key ? { 'x-api-key': request.key } : {}),
        ...request.headers,
      },
      body,
    });
    return comparable(response.status, response.headers, await response.text());
  }

  /** What the direct path of an instance has taken so far (from its registry: /metrics reads the database too). */
  async function takenBy(service: InProcessService): Promise<number> {
    const counter = service.app.get(Metrics).registry.getSingleMetric('http_direct_requests_total');
    const values = counter ? (await counter.get()).values : [];
    return values.find((value) => value.labels.route === '/approvals')?.value ?? 0;
  }

  /** Sends a case to both instances (Express's first), returns both answers, and checks the path took it or not. */
  async function both(request: Case): Promise<{ direct: Answer; express: Answer }> {
    const correlationId = `direct-path-${++sent}`;
    const before = await takenBy(direct);
    const viaExpress = await send(express, request, correlationId);
    const viaDirect = await send(direct, request, correlationId);
    expect({ case: request.name, taken: (await takenBy(direct)) - before }).toEqual({ case: request.name, taken: request.taken ? 1 : 0 });
    expect(await takenBy(express)).toBe(0);
    return { direct: viaDirect, express: viaExpress };
  }

  async function same(request: Case, status: number): Promise<Answer> {
    const answers = await both(request);
    expect({ case: request.name, ...answers.direct }).toEqual({ case: request.name, ...answers.express });
    expect({ case: request.name, status: answers.direct.status }).toEqual({ case: request.name, status });
    return answers.direct;
  }

  it('answers applications, repeats and conflicts as Express and Nest do', async () => {
    const created = await same({ name: 'a new approval', body: application(1), taken: true }, 201);
    expect(created.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(created.headers['x-correlation-id']).toBe(`direct-path-${sent}`);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.headers['x-ratelimit-limit']).toBe(String(BUDGET));
    expect(created.headers['content-security-policy']).toBeDefined();
    await same({ name: 'the same application again', body: application(1), taken: true }, 200);
    const conflict = await same(
      { name: 'its number with other particulars', body: application(1, { entityName: '连云港另一家有限公司' }), taken: true },
      409,
    );
    expect(conflict.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    await same(
      { name: 'charset given', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: application(2), taken: true },
      201,
    );
    await same(
      {
        name: 'a byte-order mark before the body',
        body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(application(3)))]),
        taken: true,
      },
      201,
    );
    await same({ name: 'whitespace before the body', body: ` \r\n\t${JSON.stringify(application(4))}`, taken: true }, 201);
    const invalidUtf8 = Buffer.from(JSON.stringify(application(5, { entityName: '连云港XX有限公司' })));
    invalidUtf8[invalidUtf8.indexOf('XX')] = 0xff;
    await same({ name: 'a byte that is not UTF-8 in a text', body: invalidUtf8, taken: true }, 201);
  });

  it('refuses bad input with the same problems', async () => {
    const { uscc: _uscc, ...withoutUscc } = application(10);
    const cases: Array<[Case, number]> = [
      [{ name: 'a missing field', body: withoutUscc, taken: true }, 400],
      [{ name: 'a wrong type', body: application(11, { kind: 5 }), taken: true }, 400],
      [{ name: 'an unknown field', body: application(12, { colour: 'red' }), taken: true }, 400],
      [{ name: 'a null field', body: application(13, { uscc: null }), taken: true }, 400],
      [{ name: 'an array', body: '[{}]', taken: true }, 400],
      [{ name: 'a JSON text that is not an object', body: '"text"', taken: true }, 400],
      [{ name: 'broken JSON', body: '{"applicationNumber":', taken: true }, 400],
      [{ name: 'only whitespace', body: '   ', taken: true }, 400],
      [{ name: 'only a byte-order mark', body: Buffer.from([0xef, 0xbb, 0xbf]), taken: true }, 400],
      [
        {
          name: 'nesting past the limit',
          body: application(14, { entityName: JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`) }),
          taken: true,
        },
        400,
      ],
      [{ name: 'a prototype key', body: `{"__proto__":{"x":1},${JSON.stringify(application(15)).slice(1)}`, taken: true }, 400],
      [{ name: 'a control character', body: application(16, { entityName: '连云港\u0000有限公司' }), taken: true }, 400],
      [
        {
          name: 'a lone surrogate',
          body: JSON.stringify(application(17)).replace('"连云港直通测试17号有限公司"', '"\\ud800"'),
          taken: true,
        },
        400,
      ],
    ];
    for (const [request, status] of cases) {
      const problem = await same(request, status);
      expect(problem.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
  });

  it('leaves to Express what its headers do not show the path can answer, with the same answers', async () => {
    const cases: Array<[Case, number]> = [
      [{ name: 'text/plain', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(application(20)), taken: false }, 415],
      [
        { name: 'another charset', headers: { 'content-type': 'application/json; charset=latin1' }, body: application(21), taken: false },
        415,
      ],
      [{ name: 'a +json type', headers: { 'content-type': 'application/vnd.api+json' }, body: application(22), taken: false }, 201],
      [{ name: 'no API key', key: '', body: application(23), taken: false }, 401],
      [{ name: "an entity's own credential", key: KEYS.entity, body: application(24), taken: false }, 403],
      [{ name: 'a department without the approver role', key: KEYS.regulator, body: application(25), taken: false }, 403],
      [{ name: 'an Idempotency-Key', headers: { 'idempotency-key': 'direct-path-key-1' }, body: application(26), taken: false }, 201],
      [
        { name: 'the Idempotency-Key again', headers: { 'idempotency-key': 'direct-path-key-1' }, body: application(26), taken: false },
        201,
      ],
      [{ name: 'a query string', path: '/approvals?x=1', body: application(27), taken: false }, 201],
      [{ name: 'a trailing slash', path: '/approvals/', body: application(28), taken: false }, 201],
      [{ name: 'a content encoding', headers: { 'content-encoding': 'gzip' }, body: application(29), taken: false }, 400],
      [{ name: 'an empty body', body: '', taken: false }, 400],
    ];
    for (const [request, status] of cases) await same(request, status);
  });

  it('spends the same rate budget and refuses past it alike', async () => {
    for (let i = 0; i < BUDGET; i++)
      await same({ name: `request ${i + 1} of the budget`, key: KEYS.health, body: application(30), taken: true }, i === 0 ? 201 : 200);
    const refused = await same({ name: 'past the budget', key: KEYS.health, body: application(30), taken: true }, 429);
    expect(refused.headers['retry-after']).toBe('60');
    await same({ name: 'still past it', key: KEYS.health, body: application(31), taken: true }, 429);
  });

  it('answers a body that stops arriving 408, as the edge does', async () => {
    const raw = (service: InProcessService) =>
      new Promise<string>((resolve, reject) => {
        const { port } = new URL(service.url);
        const socket = connect(Number(port), '127.0.0.1');
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString('utf8')));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
        socket.write(
          `POST /approvals HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nx-api-key: ${KEYS.approver}\r\n` +
            `x-correlation-id: direct-path-408\r\n\r\n{"applicationNumber":`,
        );
      });
    const before = await takenBy(direct);
    const [viaExpress, viaDirect] = await Promise.all([raw(express), raw(direct)]);
    expect(await takenBy(direct)).toBe(before + 1);
    const parts = (text: string) => {
      const [head, body] = text.split('\r\n\r\n');
      const lines = head.split('\r\n').filter((line) => !/^(date|connection|keep-alive):/i.test(line));
      return {
        status: lines[0],
        headers: lines
          .slice(1)
          .map((line) => line.toLowerCase())
          .sort(),
        body: JSON.parse(body),
      };
    };
    expect(parts(viaDirect)).toEqual(parts(viaExpress));
    expect(parts(viaDirect).status).toBe('HTTP/1.1 408 Request Timeout');
  });

  it('answers 503 with Retry-After alike while the database is gone', async () => {
    await proxy.cut();
    try {
      const { direct: viaDirect, express: viaExpress } = await both({ name: 'the database gone', body: application(40), taken: true });
      // The reason's words depend on where each pool's connection was when it went.
      const shape = (answer: Answer) => {
        const { detail: _detail, ...problem } = answer.body as Record<string, unknown>;
        return { status: answer.status, headers: answer.headers, problem };
      };
      expect(shape(viaDirect)).toEqual(shape(viaExpress));
      expect(viaDirect.status).toBe(503);
      expect(viaDirect.headers['retry-after']).toBeDefined();
      expect((viaDirect.body as { dependency?: string }).dependency).toBe('database');
    } finally {
      await proxy.restore();
    }
  });

  it('steps aside once the address is blocked for wrong keys, with the same answers', async () => {
    for (let i = 0; i < 3; i++)
      await same({ name: `wrong key ${i + 1}`, key: `it-key-nobody-knows-this-one-${i}`, body: application(50), taken: false }, 401);
    const blocked = await same({ name: 'a right key from the blocked address', body: application(51), taken: false }, 429);
    expect(blocked.headers['retry-after']).toBeDefined();
  });

  it('counts the requests alike in the request metrics', async () => {
    const series = async (service: InProcessService) =>
      (await (await fetch(`${service.url}/metrics`)).text())
        .split('\n')
        .filter((line) => line.startsWith('http_requests_total{') && !line.includes('route="/metrics"'))
        .sort();
    const viaDirect = await series(direct);
    expect(viaDirect).toEqual(await series(express));
    expect(viaDirect.some((line) => line.includes('route="/approvals"') && line.includes('status="201"'))).toBe(true);
  });
});
