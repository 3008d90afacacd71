import { randomInt } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { ALL_SERVICE_NAMES, connectTestDatabase, ServiceName, TEST_CLIENTS, TestSystem } from '@backbone/testing';
import { malformedRequests, MalformedRequest } from './edge/malformed-requests';
import { fetchOnce, fillPath, holderOf, Operation, readOperations, wellFormedPathValues, WRITE_METHODS } from './edge/openapi-operations';

/**
 * Bad input, generated: every write operation (POST/PUT/PATCH/DELETE) of every service's OpenAPI
 * document, read from the running services (a new route is covered the day it is served), gets
 * malformed requests from fast-check — wrong types, missing and unknown keys, `__proto__`, impossible
 * dates, control characters, overflowing numbers, huge texts, wrong content types, deep nesting,
 * broken JSON, malformed path values and Idempotency-Keys. Each must be refused with a 4xx
 * application/problem+json carrying the correlation id, naming the field at fault where one is, echoing
 * none of the input, and leaving every table of the service (the outbox included) as it was.
 *
 * Reproducible: the seed is printed; BAD_INPUT_SEED=<seed> replays the same requests.
 * BAD_INPUT_PER_OPERATION sets the number of requests per operation (default 32).
 */
const SEED = Number(process.env.BAD_INPUT_SEED ?? randomInt(2 ** 31 - 1));
const PER_OPERATION = Number(process.env.BAD_INPUT_PER_OPERATION ?? 32);
/**
 * Tables whose rows are not the service's data: the migrations' log, Idempotency-Keys a refused request
 * releases, and the consumer's member id, written when it joins its group in the background (ADR 0077).
 */
const NOT_DATA = new Set(['migrations', 'typeorm_metadata', 'http_idempotency_key', 'consumer_member']);

interface Finding {
  operation: string;
  category: string;
  status: number;
  problem: string;
  request: string;
}

/** Row counts of every table of a service's database, in one statement. */
async function rowCounts(client: Client): Promise<Record<string, number>> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const counted = tables.filter((table) => !NOT_DATA.has(table.name));
  const { rows } = await client.query<{ counts: Record<string, string> }>(
    `SELECT json_build_object(${counted.map((table) => `'${table.name}', (SELECT count(*) FROM "${table.name}")`).join(', ')}) AS counts`,
  );
  return Object.fromEntries(Object.entries(rows[0].counts).map(([name, count]) => [name, Number(count)]));
}

function changedTables(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]);
}

/** Whether the problem names the field: in its list of problems, its details, or its text. */
function namesField(problem: Record<string, any>, field: string): boolean {
  const fields: string[] = [
    ...((problem.errors as Array<{ field?: string }> | undefined) ?? []).map((error) => error.field ?? ''),
    problem.field,
    problem.details?.field,
    ...((problem.details?.errors as Array<{ field?: string }> | undefined) ?? []).map((error) => error.field ?? ''),
  ].filter((name): name is string => typeof name === 'string');
  if (fields.some((name) => name === field || name.startsWith(`${field}.`) || name.startsWith(`${field}[`))) return true;
  return (
    typeof problem.detail === 'string' &&
    new RegExp(`(^|[^A-Za-z0-9_])${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`, 'i').test(problem.detail)
  );
}

describe('generated bad input on every write operation of every OpenAPI document', () => {
  let system: TestSystem;
  const clients = new Map<ServiceName, Client>();

  beforeAll(async () => {
    system = await TestSystem.start(ALL_SERVICE_NAMES);
    for (const name of ALL_SERVICE_NAMES) clients.set(name, await connectTestDatabase(system.infra, system.databases.get(name) ?? ''));
  });

  afterAll(async () => {
    await Promise.all([...clients.values()].map((client) => client.end().catch(() => undefined)));
    await system?.stop();
  });

  it(`refuses every generated request with a problem naming the field, and writes nothing (seed ${SEED})`, async () => {
    console.log(`bad-input suite: seed ${SEED} (replay with BAD_INPUT_SEED=${SEED}), ${PER_OPERATION} requests per operation`);
    const operations = (await readOperations(system, ALL_SERVICE_NAMES)).filter((operation) => WRITE_METHODS.has(operation.method));
    const findings: Finding[] = [];
    const statuses = new Map<number, number>();
    const categories = new Map<string, number>();
    let sent = 0;

    const probe = async (operation: Operation, index: number) => {
      const department = holderOf(operation);
      const pathValues = await wellFormedPathValues(system, operation);
      const requests = fc.sample(malformedRequests(operation), { seed: SEED + index, numRuns: PER_OPERATION });
      const client = clients.get(operation.service)!;
      const label = `${operation.service} ${operation.method} ${operation.path}`;
      for (const [n, request] of requests.entries()) {
        const correlationId = `fuzz-${SEED}-${index}-${n}`;
        const before = await rowCounts(client);
        const url = system.service(operation.service).url;
        const { status, problem, text, contentType, headerId } = await send(url, operation, request, pathValues, department, correlationId);
        sent++;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        categories.set(request.category, (categories.get(request.category) ?? 0) + 1);
        const faults: string[] = [];
        if (status >= 500) faults.push(`server error ${status}`);
        else if (status < 400) faults.push(`accepted (${status})`);
        if (!contentType.startsWith('application/problem+json')) faults.push(`content-type ${contentType || 'none'}`);
        else {
          if (problem.correlationId !== correlationId) faults.push('problem without the correlation id');
          if (request.field && status !== 413 && status !== 415 && !namesField(problem, request.field))
            faults.push(`does not name ${request.field}`);
        }
        if (headerId !== correlationId) faults.push('response header without the correlation id');
        if (request.marker && text.includes(request.marker)) faults.push('echoes the input');
        if (/\b(INSERT INTO|SELECT .* FROM|violates|SQLSTATE|QueryFailedError|at [A-Za-z]+ \()/.test(text))
          faults.push('leaks SQL or a stack');
        const changed = changedTables(before, await rowCounts(client));
        if (changed.length > 0) faults.push(`wrote rows in ${changed.join(', ')}`);
        if (faults.length > 0)
          findings.push({
            operation: label,
            category: request.category,
            status,
            problem: `${faults.join('; ')} — ${text.slice(0, 300)}`,
            request: requestText(request),
          });
      }
    };

    // One service at a time per database (the row counts must see only this request); services side by side.
    const byService = new Map<ServiceName, Array<[Operation, number]>>();
    operations.forEach((operation, index) =>
      byService.set(operation.service, [...(byService.get(operation.service) ?? []), [operation, index]]),
    );
    await Promise.all(
      [...byService.values()].map(async (list) => {
        for (const [operation, index] of list) await probe(operation, index);
      }),
    );

    const countKeptKeys = async () =>
      (
        await Promise.all(
          ALL_SERVICE_NAMES.map((name) => clients.get(name)!.query<{ n: string }>(`SELECT count(*) AS n FROM http_idempotency_key`)),
        )
      )
        .flatMap((result) => result.rows)
        .reduce((sum, row) => sum + Number(row.n), 0);
    // A refused request's Idempotency-Key is released before its answer is sent: none may be left now.
    const keptKeys = await countKeptKeys();

    console.log(
      [
        `bad-input suite: ${sent} malformed requests over ${operations.length} write operations of ${ALL_SERVICE_NAMES.length} services (seed ${SEED})`,
        `  by category: ${[...categories].map(([category, count]) => `${category} ${count}`).join(', ')}`,
        `  answers: ${[...statuses]
          .sort(([a], [b]) => a - b)
          .map(([status, count]) => `${status}×${count}`)
          .join(', ')}`,
        `  findings: ${findings.length}`,
        ...findings
          .slice(0, 40)
          .map(
            (finding) => `  - ${finding.operation} [${finding.category}] ${finding.status}: ${finding.problem}\n      ${finding.request}`,
          ),
      ].join('\n'),
    );
    expect(sent).toBeGreaterThanOrEqual(Math.min(2000, operations.length * PER_OPERATION));
    expect(findings).toEqual([]);
    expect(keptKeys).toBe(0);
  });
});

async function send(
  baseUrl: string,
  operation: Operation,
  request: MalformedRequest,
  pathValues: Record<string, string>,
  department: keyof typeof TEST_CLIENTS | undefined,
  correlationId: string,
): Promise<{ status: number; problem: Record<string, any>; text: string; contentType: string; headerId: string | null }> {
  // Path values from the generator are sent as they are (already percent-encoded where meant to be).
  const path = request.path
    ? fillPath(operation.path, {
        ...pathValues,
        ...Object.fromEntries(Object.keys(request.path).map((name) => [name, `\u0001${name}`])),
      }).replace(/%01([A-Za-z]+)/g, (_, name: string) => request.path![name])
    : fillPath(operation.path, pathValues);
  const url = `${baseUrl}${path}`;
  const body = WRITE_METHODS.has(operation.method) ? request.body : undefined;
  const response = await fetchOnce(url, {
    method: operation.method,
    headers: {
      ...request.headers,
      ...(department ? { 'x-api-key': TEST_CLIENTS[department] } : {}),
      'x-correlation-id': correlationId,
    },
    body,
  });
  const text = await response.text();
  let problem: Record<string, any> = {};
  try {
    problem = JSON.parse(text) as Record<string, any>;
  } catch {
    problem = {};
  }
  return {
    status: response.status,
    problem,
    text,
    contentType: response.headers.get('content-type') ?? '',
    headerId: response.headers.get('x-correlation-id'),
  };
}

function requestText(request: MalformedRequest): string {
  const body =
    request.body === undefined
      ? ''
      : request.body.length > 160
        ? `${request.body.slice(0, 160)}… (${request.body.length} chars)`
        : request.body;
  return JSON.stringify({ field: request.field, path: request.path, headers: request.headers, body });
}
