import fc from 'fast-check';
import { Operation, resolveSchema, Schema } from './openapi-operations';

/** One generated request that must be refused: what was broken, and which field the answer must name. */
export interface MalformedRequest {
  category: string;
  /** The field (body property, path parameter or header) at fault, when one is. */
  field?: string;
  /** Replaces one path parameter. */
  path?: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
  /** A value the answer must not echo. */
  marker?: string;
}

/** A plausible value for a schema: its example or first enum value, else one of its type. */
export function sampleOf(doc: Schema, raw: Schema | undefined, depth = 0): unknown {
  const schema = resolveSchema(doc, raw);
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (Array.isArray(schema.oneOf) && schema.oneOf.length > 0) return sampleOf(doc, schema.oneOf[0], depth + 1);
  switch (schema.type) {
    case 'string':
      return schema.format === 'date'
        ? '2026-03-01'
        : schema.format === 'date-time'
          ? '2026-03-01T09:00:00+08:00'
          : schema.format === 'uuid'
            ? '00000000-0000-4000-8000-000000000001'
            : 'x';
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 6 ? [] : [sampleOf(doc, schema.items, depth + 1)];
    default: {
      if (depth > 6 || !schema.properties) return {};
      return Object.fromEntries(
        Object.entries<Schema>(schema.properties).map(([name, property]) => [name, sampleOf(doc, property, depth + 1)]),
      );
    }
  }
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const BAD_DATES = [
  '2025-02-30',
  '2026-W49',
  '20250230',
  '2026-366',
  '2026-13-01',
  '2025-02-29',
  '2026-04-31T10:00:00+08:00',
  '2026-03-01T24:00:00Z',
  '2026-03-01T09:60:00Z',
  '2026-03-01 09:00',
  '2026-03-01T09:00:00',
  '+002026-03-01',
  '1 March 2026',
  '0000-00-00',
];
const CONTROL_TEXTS = ['\u0000', 'a\u0000b', '\u0007', '\u001b[31mred', '\u0008', '\u007f', '\u0085', '\ud800', 'x\udfffy', '\u000b\u000c'];
/** Raw JSON number tokens no field stores: overflow a double, a bigint, or have no finite value. */
const OVERFLOWING_NUMBERS = [
  '1e309',
  '-1e309',
  '1e300',
  '9223372036854775808',
  '-9223372036854775809',
  '123456789012345678901234567890',
  '1e21',
  '-1e21',
  '18446744073709551616',
];
const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/octet-stream',
  'text/csv',
  'application/json-patch+xml',
];
const MALFORMED_BODIES = [
  '{"a":',
  '{}{}',
  '[',
  '{"a":1,}',
  "{'a':1}",
  '{"a":NaN}',
  '{"a":undefined}',
  'nul',
  '\ufeff{"a"',
  '{"a":"\\u12"}',
];
const BAD_PATH_VALUES = [
  '%00',
  'a%00b',
  '%0d%0aX-Injected:%201',
  '..%2F..%2Fetc%2Fpasswd',
  '9223372036854775808',
  '99999999999999999999999999',
  '-1',
  '0',
  '1e3',
  '%20',
  '%E0%A4%A',
  'null',
  '%F0%9F%99%82',
  '00000000-0000-4000-8000-00000000000g',
  "1'%20OR%20'1'='1",
];
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];
const BAD_IDEMPOTENCY_KEYS = ['a'.repeat(256), 'has space', 'tab\there', 'cl\u00e9-non-ascii'];

function typeOf(schema: Schema): string {
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  if (Array.isArray(schema.enum)) return typeof schema.enum[0];
  return 'unknown';
}

/** Values of the wrong JSON type for a schema (null too: an optional field is left out, never null). */
function wrongTypeValues(schema: Schema): unknown[] {
  const values: unknown[] = [];
  const type = typeOf(schema);
  if (type !== 'string') values.push('not-a-number', 'true');
  if (type !== 'number' && type !== 'integer') values.push(12345, -1.5);
  if (type !== 'boolean') values.push(false);
  if (type !== 'object') values.push({ nested: 'object' });
  if (type !== 'array') values.push(['an', 'array']);
  values.push(null);
  if (Array.isArray(schema.enum)) values.push('not-one-of-the-enum-values');
  return values;
}

function isDateField(name: string, schema: Schema): boolean {
  if (schema.format === 'date' || schema.format === 'date-time') return true;
  if (Array.isArray(schema.oneOf) && schema.oneOf.some((s: Schema) => s.format === 'date' || s.format === 'date-time')) return true;
  if (schema.type !== undefined && schema.type !== 'string') return false;
  return (
    /(At|Date|date|Until|until|Since|since|deadline|Deadline|^from$|^to$|asOf|Time)$/.test(name) ||
    /RFC 3339/.test(schema.description ?? '')
  );
}

/** The body as JSON text with one property whose key or value is raw text (a key or a token JSON.stringify would not write). */
function withRaw(body: Record<string, unknown>, field: string, raw: string): string {
  const rest = Object.fromEntries(Object.entries(body).filter(([name]) => name !== field));
  const inner = JSON.stringify(rest).slice(1, -1);
  return `{${inner}${inner ? ',' : ''}${JSON.stringify(field)}:${raw}}`;
}

/**
 * Generators of malformed requests for one operation: each request breaks at least one rule, so the
 * service must refuse it (4xx) without writing anything, and, where a field is at fault, name it.
 */
export function malformedRequests(operation: Operation): fc.Arbitrary<MalformedRequest> {
  const { doc } = operation;
  const schema = operation.body;
  const properties: Array<[string, Schema]> = schema?.properties
    ? Object.entries<Schema>(schema.properties).map(([name, property]) => [name, resolveSchema(doc, property)])
    : [];
  const required = new Set<string>(schema?.required ?? []);
  const base = (schema ? sampleOf(doc, schema) : {}) as Record<string, unknown>;
  const baseObject = base && typeof base === 'object' && !Array.isArray(base) ? base : {};
  const fields = properties.map(([name]) => name);
  const takesBody = WRITE_BODY.has(operation.method);
  const arbitraries: Array<fc.Arbitrary<MalformedRequest>> = [];

  const json = (body: unknown, extra: Partial<MalformedRequest> = {}) =>
    ({ headers: { ...JSON_HEADERS }, body: JSON.stringify(body), ...extra }) as MalformedRequest;

  // an unknown property (every request class refuses what it does not declare)
  arbitraries.push(
    fc.record({ key: fc.stringMatching(/^[a-z][A-Za-z0-9]{2,20}$/), value: fc.jsonValue({ maxDepth: 2 }) }).map(({ key, value }) => {
      const name = `unknown_${key}`;
      return json({ ...baseObject, [name]: value }, { category: 'extra key', field: fields.length > 0 ? name : undefined });
    }),
  );
  // a key that reaches an object's prototype, at the top or nested in a field
  arbitraries.push(
    fc
      .record({ key: fc.constantFrom(...FORBIDDEN_KEYS), nested: fc.boolean(), value: fc.jsonValue({ maxDepth: 1 }) })
      .map(({ key, nested, value }) => {
        if (nested && fields.length > 0) {
          const field = fields[0];
          const text = withRaw({}, key, JSON.stringify(value));
          return { category: 'prototype key', field, headers: { ...JSON_HEADERS }, body: withRaw(baseObject, field, text) };
        }
        return {
          category: 'prototype key',
          field: key,
          headers: { ...JSON_HEADERS },
          body: withRaw(baseObject, key, JSON.stringify(value)),
        };
      }),
  );
  // control characters (NUL, escapes, lone surrogates) in a text, or in a property name
  arbitraries.push(
    fc
      .record({
        text: fc.constantFrom(...CONTROL_TEXTS),
        field: fields.length ? fc.constantFrom(...fields) : fc.constant('note'),
        inKey: fc.boolean(),
      })
      .map(({ text, field, inKey }) =>
        inKey
          ? json({ ...baseObject, [`k${text}`]: 'v' }, { category: 'control characters' })
          : json({ ...baseObject, [field]: `${String(baseObject[field] ?? 'v')}${text}` }, { category: 'control characters', field }),
      ),
  );
  // deep nesting (below the parser's limits, and far beyond them)
  arbitraries.push(
    fc
      .record({ depth: fc.oneof(fc.integer({ min: 17, max: 64 }), fc.integer({ min: 1000, max: 20000 })), array: fc.boolean() })
      .map(({ depth, array }) => {
        const field = fields[0] ?? 'nested';
        const open = array ? '[' : '{"a":';
        const close = array ? ']' : '}';
        const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
        return {
          category: 'deep nesting',
          field: depth < 1000 ? field : undefined,
          headers: { ...JSON_HEADERS },
          body: withRaw(baseObject, field, nested),
        };
      }),
  );
  // a body the route does not take: wrong content type
  arbitraries.push(
    fc.constantFrom(...WRONG_CONTENT_TYPES.filter((type) => !operation.contentTypes.includes(type))).map((contentType) => ({
      category: 'wrong content-type',
      headers: { 'content-type': contentType },
      body: contentType.startsWith('application/x-www') ? 'a=1&b=2' : JSON.stringify(baseObject),
    })),
  );
  // not JSON, or JSON that is not an object; a body over the size limit
  arbitraries.push(
    fc.oneof(
      fc.constantFrom(...MALFORMED_BODIES).map((body) => ({ category: 'malformed JSON', headers: { ...JSON_HEADERS }, body })),
      fc
        .constantFrom('[]', '[{}]', '"text"', '42', 'true', 'null')
        .map((body) => ({ category: 'not an object', headers: { ...JSON_HEADERS }, body })),
      fc.integer({ min: 300_000, max: 1_200_000 }).map((size) => ({
        category: 'oversized body',
        headers: { ...JSON_HEADERS },
        body: JSON.stringify({ ...baseObject, [fields[0] ?? 'blob']: 'x'.repeat(size) }),
      })),
    ),
  );
  // a malformed path value (NUL, traversal, overflowing ids, broken percent-encoding)
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  if (pathParameters.length > 0) {
    arbitraries.push(
      fc
        .record({ parameter: fc.constantFrom(...pathParameters), value: fc.constantFrom(...BAD_PATH_VALUES, 'x'.repeat(5000)) })
        .map(({ parameter, value }) => ({
          category: 'bad path value',
          path: { [parameter.name]: value },
          headers: { ...JSON_HEADERS },
          body: takesBody ? JSON.stringify({ ...baseObject, unknown_with_bad_path: 1 }) : undefined,
        })),
    );
  }
  if (operation.method === 'POST') {
    arbitraries.push(
      fc.constantFrom(...BAD_IDEMPOTENCY_KEYS).map((key) => ({
        category: 'bad Idempotency-Key',
        field: 'Idempotency-Key',
        headers: { ...JSON_HEADERS, 'idempotency-key': key },
        body: JSON.stringify(baseObject),
      })),
    );
  }
  if (properties.length > 0) {
    // a field of the wrong JSON type
    arbitraries.push(
      fc
        .constantFrom(...properties)
        .chain(([name, property]) => fc.record({ name: fc.constant(name), value: fc.constantFrom(...wrongTypeValues(property)) }))
        .map(({ name, value }) => json({ ...baseObject, [name]: value }, { category: 'wrong type', field: name })),
    );
    // a required field left out
    if (required.size > 0)
      arbitraries.push(
        fc.constantFrom(...required).map((name) => {
          const { [name]: _left, ...rest } = baseObject;
          return json(rest, { category: 'missing required field', field: name });
        }),
      );
    // a text far beyond any length a field stores
    const texts = properties.filter(([, property]) => typeOf(property) === 'string' && !Array.isArray(property.enum));
    if (texts.length > 0)
      arbitraries.push(
        fc
          .record({
            field: fc.constantFrom(...texts.map(([name]) => name)),
            size: fc.integer({ min: 20_000, max: 200_000 }),
            char: fc.constantFrom('A', '字', '0'),
          })
          .map(({ field, size, char }) => {
            const marker = char.repeat(size);
            return json({ ...baseObject, [field]: marker }, { category: 'huge string', field, marker: marker.slice(0, 2000) });
          }),
      );
    // an impossible or non-RFC 3339 date
    const dates = properties.filter(([name, property]) => isDateField(name, property));
    if (dates.length > 0)
      arbitraries.push(
        fc
          .record({ field: fc.constantFrom(...dates.map(([name]) => name)), value: fc.constantFrom(...BAD_DATES) })
          .map(({ field, value }) => json({ ...baseObject, [field]: value }, { category: 'bad date', field })),
      );
    // a number no column holds (beyond a double, a bigint)
    const numbers = properties.filter(([, property]) => ['integer', 'number'].includes(typeOf(property)));
    const numberTargets = numbers.length > 0 ? numbers : properties;
    arbitraries.push(
      fc
        .record({ field: fc.constantFrom(...numberTargets.map(([name]) => name)), value: fc.constantFrom(...OVERFLOWING_NUMBERS) })
        .map(({ field, value }) => ({
          category: 'overflowing number',
          field,
          headers: { ...JSON_HEADERS },
          body: withRaw(baseObject, field, value),
        })),
    );
  }
  return fc.oneof(...arbitraries);
}

const WRITE_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
