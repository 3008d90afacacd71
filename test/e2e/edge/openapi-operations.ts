import { ServiceName, TEST_CLIENTS, TestDepartment, TestSystem, testUscc } from '@backbone/testing';
import { ApprovalConfig } from '../../../services/approval/src/approval.config';
import { ConsoleConfig } from '../../../services/console/src/console.config';
import { CreditConfig } from '../../../services/credit/src/credit.config';
import { EnforcementConfig } from '../../../services/enforcement/src/enforcement.config';
import { InspectionConfig } from '../../../services/inspection/src/inspection.config';
import { IntegrationConfig } from '../../../services/integration/src/integration.config';
import { SupervisionConfig } from '../../../services/supervision/src/supervision.config';

export type Schema = Record<string, any>;

/**
 * The role configuration of every service as the test system runs it (each service's defaults: the
 * test system sets only keys, ports and tuning). One table: role → departments. The authorization
 * matrix and the README's role table are derived from it and from the routes' declared roles.
 */
export const ROLE_TABLES: Record<ServiceName, Record<string, readonly string[]>> = {
  approval: new ApprovalConfig().roleTable(),
  supervision: new SupervisionConfig().roleTable(),
  enforcement: new EnforcementConfig().roleTable(),
  credit: new CreditConfig().roleTable(),
  inspection: new InspectionConfig().roleTable(),
  console: new ConsoleConfig().roleTable(),
  integration: new IntegrationConfig().roleTable(),
};

export function holds(service: ServiceName, role: string, department: string): boolean {
  const members = ROLE_TABLES[service][role] ?? [];
  return members.includes('*') || members.includes(department);
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

/** One operation of a service's OpenAPI document, as the service serves it now. */
export interface Operation {
  service: ServiceName;
  method: string;
  /** The OpenAPI path template (`/cases/{id}/decision`). */
  path: string;
  roles?: string[];
  public: boolean;
  parameters: Parameter[];
  /** The JSON request body's schema (resolved), when the operation takes JSON. */
  body?: Schema;
  contentTypes: string[];
  doc: Schema;
}

export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Follows `$ref`s and single `allOf`s of a document (no cycles in these documents; bounded anyway). */
export function resolveSchema(doc: Schema, schema: Schema | undefined, depth = 0): Schema {
  let current: Schema = schema ?? {};
  for (let hops = 0; hops < 10; hops++) {
    if (typeof current.$ref === 'string') {
      const name = current.$ref.replace('#/components/schemas/', '');
      const { $ref: _ref, ...rest } = current;
      current = { ...rest, ...doc.components?.schemas?.[name] };
      continue;
    }
    if (Array.isArray(current.allOf) && current.allOf.length === 1 && depth < 20) {
      const { allOf, ...rest } = current;
      current = { ...resolveSchema(doc, allOf[0], depth + 1), ...rest };
      continue;
    }
    break;
  }
  return current;
}

/** Every operation of every service's `/api/docs-json`, read now (so new routes are covered as they come). */
export async function readOperations(system: TestSystem, services: readonly ServiceName[]): Promise<Operation[]> {
  const operations: Operation[] = [];
  for (const service of services) {
    const response = await fetch(`${system.service(service).url}/api/docs-json`);
    if (!response.ok) throw new Error(`${service}: /api/docs-json answered ${response.status}`);
    const doc = (await response.json()) as Schema;
    for (const [path, item] of Object.entries<Schema>(doc.paths ?? {})) {
      for (const [method, operation] of Object.entries<Schema>(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const content: Schema = operation.requestBody?.content ?? {};
        const json = content['application/json']?.schema;
        operations.push({
          service,
          method: method.toUpperCase(),
          path,
          roles: operation['x-roles'],
          public: operation['x-public'] === true || (Array.isArray(operation.security) && operation.security.length === 0),
          parameters: [...(item.parameters ?? []), ...(operation.parameters ?? [])]
            .map((parameter: Schema) => resolveSchema(doc, parameter))
            .map((parameter: Schema) => ({
              name: parameter.name,
              in: parameter.in,
              required: parameter.required === true,
              schema: resolveSchema(doc, parameter.schema),
            })),
          body: json ? resolveSchema(doc, json) : undefined,
          contentTypes: Object.keys(content),
          doc,
        });
      }
    }
  }
  return operations;
}

/** A department of the test system holding one of the operation's roles (any department when it names none). */
export function holderOf(operation: Operation): TestDepartment | undefined {
  const departments = Object.keys(TEST_CLIENTS) as TestDepartment[];
  if (!operation.roles?.length) return '320700-SAMR';
  const preferred: TestDepartment[] = ['320700-SAMR', ...departments];
  return preferred.find((department) => operation.roles!.some((role) => holds(operation.service, role, department)));
}

export const SOME_UUID = '00000000-0000-4000-8000-00000000fe11';
export const SOME_USCC = testUscc(9_990_001);

/** Values a path or query parameter may take, best guess first (the schema's enum or example, else by name). */
export function parameterCandidates(parameter: Parameter): string[] {
  const { schema, name } = parameter;
  const byName: Record<string, string[]> = {
    uscc: [SOME_USCC],
    service: ['approval'],
    round: ['1'],
    severity: ['minor', 'general', 'serious', 'major'],
    department: ['320700-SAMR'],
    violationCode: ['FUZZ-VIOLATION-01'],
    code: ['FUZZ-ITEM-01'],
    year: ['2026'],
    from: ['2026-01-01'],
    to: ['2026-12-31'],
    asOf: ['2026-06-30'],
  };
  const candidates: string[] = [];
  if (Array.isArray(schema.enum)) candidates.push(String(schema.enum[0]));
  if (schema.format === 'uuid') candidates.push(SOME_UUID);
  if (schema.example !== undefined) candidates.push(String(schema.example));
  // A date-time parameter (a period's bounds) refuses a bare date, whatever its name.
  if (schema.format === 'date-time') candidates.push(name === 'to' ? '2026-12-31T00:00:00+08:00' : '2026-01-01T00:00:00+08:00');
  candidates.push(...(byName[name] ?? []));
  if (schema.type === 'integer' || schema.type === 'number') candidates.push('1');
  candidates.push(SOME_UUID, '1');
  return [...new Set(candidates)];
}

/** The concrete path with the given parameter values. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? SOME_UUID));
}

/**
 * fetch, tried again when the connection (not the service) failed: a kept-alive socket the server
 * closed as the request went out ("other side closed") says nothing about the request.
 */
export async function fetchOnce(url: string, init: RequestInit, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** A problem answer names the parameter or says the path value is malformed. */
function refusesParameter(status: number, problem: Schema, names: string[]): boolean {
  if (status !== 400) return false;
  const text = JSON.stringify(problem ?? {});
  return /is expected|isBigintId|isUuid/.test(text) || names.some((name) => (problem?.errors ?? []).some((e: Schema) => e.field === name));
}

/**
 * Path values the route accepts as well-formed (so that what follows in the request is what gets
 * judged): tried in order with the holder's key and an empty body until one is not refused as malformed.
 */
export async function wellFormedPathValues(system: TestSystem, operation: Operation): Promise<Record<string, string>> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const values: Record<string, string> = Object.fromEntries(pathParameters.map((p) => [p.name, parameterCandidates(p)[0]]));
  const department = holderOf(operation);
  for (const parameter of pathParameters) {
    for (const candidate of parameterCandidates(parameter)) {
      values[parameter.name] = candidate;
      const response = await fetchOnce(`${system.service(operation.service).url}${fillPath(operation.path, values)}`, {
        method: operation.method,
        headers: { 'content-type': 'application/json', ...(department ? { 'x-api-key': TEST_CLIENTS[department] } : {}) },
        body: WRITE_METHODS.has(operation.method) ? '{}' : undefined,
      });
      const problem = (await response.json().catch(() => ({}))) as Schema;
      if (!refusesParameter(response.status, problem, [parameter.name])) break;
    }
  }
  return values;
}

/** Query parameters a read needs (the required ones, and the entity's USCC where it can be given), with plausible values. */
export function requiredQuery(operation: Operation): string {
  const query = new URLSearchParams();
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'query' || !(parameter.required || parameter.name === 'uscc')) continue;
    query.set(parameter.name, parameterCandidates(parameter)[0]);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
