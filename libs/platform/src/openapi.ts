import 'reflect-metadata';
import { INestApplication, ParseIntPipe, ParseUUIDPipe, Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type {
  OpenAPIObject,
  ParameterObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { USCC_JSON_SCHEMA } from '@backbone/contracts';
import { dateSchema, DateKind, ParseBigintIdPipe, requiredWhenRules } from './validation';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/**
 * What the edge refuses in any text (http-edge.ts CONTROL_CHARACTERS, less the lone surrogates a
 * UTF-8 body cannot carry anyway): stated as the pattern of every free-text string, so that a client
 * generated from the document never sends what the server refuses.
 */
const TEXT_CHARACTER = '[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]';

const PRIMITIVE_SCHEMAS = new Map<unknown, SchemaObject>([
  [String, { type: 'string' }],
  [Number, { type: 'number' }],
  [Boolean, { type: 'boolean' }],
]);

/**
 * The JSON schema of this project's own class-validator rules (the library knows only the built-in
 * ones): the USCC with its shape, RFC 3339 dates by their kind.
 */
export const VALIDATOR_SCHEMA_CONVERTERS = {
  isUscc: () => ({ ...USCC_JSON_SCHEMA }),
  /**
   * `@IsNumber({ maxDecimalPlaces: 2 })` (amounts in yuan): `multipleOf: 0.01`, which a client reads in
   * exact decimals as class-validator does (the number as written has at most two decimals).
   */
  isNumber: (meta: { constraints?: unknown[] }) => {
    const places = (meta.constraints?.[0] as { maxDecimalPlaces?: number } | undefined)?.maxDecimalPlaces;
    return { type: 'number', ...(places !== undefined ? { multipleOf: Number(`1e-${places}`) } : {}) };
  },
  /** `@IsDateString()`: a date-time (the library's own pattern is not anchored: it lets any text around a date through). */
  isDateString: () => ({ type: 'string', format: 'date-time' }),
  isRfc3339Date: (meta: { constraints?: unknown[] }) => dateSchema((meta.constraints?.[0] as DateKind) ?? 'date'),
  isRfc3339DateTime: (meta: { constraints?: unknown[] }) => dateSchema((meta.constraints?.[0] as DateKind) ?? 'date-time'),
  /**
   * Any other custom rule (`@ValidateBy`, `@Validate`): the field's primitive type, nothing more. (The
   * library's default makes any other design type a `$ref`: `#/components/schemas/Array` for an array,
   * which resolves to nothing.)
   */
  customValidation: (meta: { target: unknown; propertyName: string }) => {
    const type: unknown =
      typeof meta.target === 'function'
        ? Reflect.getMetadata('design:type', meta.target.prototype as object, meta.propertyName)
        : undefined;
    return PRIMITIVE_SCHEMAS.get(type) ?? {};
  },
};

const REQUEST_BODY = 'backbone:openapi-request-body';

/**
 * A request body the route reads itself (not through a validated class), one schema per media type:
 * `@ApiRequestBody({ 'application/cloudevents+json': event, 'application/cloudevents-batch+json': batch })`.
 */
export const ApiRequestBody =
  (content: Record<string, Record<string, unknown>>): MethodDecorator =>
  (_target, _key, descriptor: PropertyDescriptor) => {
    Reflect.defineMetadata(REQUEST_BODY, content, descriptor.value as object);
    return descriptor;
  };

/** Pipes that check a path or query value, and the schema of what they let through. */
export interface SchemaPipe {
  readonly openApiSchema: SchemaObject;
}

const PIPE_SCHEMAS = new Map<unknown, SchemaObject>([
  [ParseUUIDPipe, { type: 'string', format: 'uuid' }],
  [ParseIntPipe, { type: 'integer' }],
  [ParseBigintIdPipe, { type: 'string', pattern: '^[1-9][0-9]{0,18}$', description: 'A positive integer of at most 2^63-1' }],
]);

/** The schema a pipe guarantees, when the pipe is known (class or instance) or says so itself. */
export function pipeSchema(pipe: unknown): SchemaObject | undefined {
  const type = typeof pipe === 'function' ? pipe : (pipe as object | undefined)?.constructor;
  const own = (pipe as Partial<SchemaPipe> | undefined)?.openApiSchema ?? (type as Partial<SchemaPipe> | undefined)?.openApiSchema;
  if (own) return own;
  const known = PIPE_SCHEMAS.get(type);
  if (known) return known;
  const values = (pipe as { enumType?: Record<string, unknown> } | undefined)?.enumType;
  if (values) return { type: 'string', enum: [...new Set(Object.values(values))] as string[] };
  return undefined;
}

type Schema = SchemaObject | ReferenceObject;

function isReference(schema: Schema | undefined): schema is ReferenceObject {
  return !!schema && '$ref' in schema;
}

/** Free text gets the edge's character rule; a string with a pattern, format or enum already excludes control characters. */
function withTextRule(schema: SchemaObject): SchemaObject {
  if (schema.type !== 'string' || schema.pattern || schema.format || schema.enum) return schema;
  const min = schema.minLength ?? 0;
  const quantifier = schema.maxLength !== undefined ? `{${min},${schema.maxLength}}` : min > 0 ? `{${min},}` : '*';
  return { ...schema, pattern: `^${TEXT_CHARACTER}${quantifier}$` };
}

/** Applies the text rule to every string schema in a (generated) schema tree. */
function applyTextRule(schema: Schema): Schema {
  if (isReference(schema)) return schema;
  const out: SchemaObject = withTextRule({ ...schema });
  if (out.properties)
    out.properties = Object.fromEntries(Object.entries(out.properties).map(([name, property]) => [name, applyTextRule(property)]));
  if (out.items) out.items = applyTextRule(out.items);
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) if (out[key]) out[key] = out[key].map(applyTextRule);
  if (out.additionalProperties && typeof out.additionalProperties === 'object')
    out.additionalProperties = applyTextRule(out.additionalProperties);
  return out;
}

/** The classes a validated class nests (`@ValidateNested()` + `@Type(() => …)`), for their own schemas. */
function nestedClasses(target: Type<unknown>): Type<unknown>[] {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
  const found: Type<unknown>[] = [];
  for (const meta of metadatas) {
    if (meta.type !== ValidationTypes.NESTED_VALIDATION) continue;
    const typeMeta = defaultMetadataStorage.findTypeMetadata(target, meta.propertyName);
    const child = (typeMeta?.typeFunction() ?? Reflect.getMetadata('design:type', target.prototype, meta.propertyName)) as
      Type<unknown> | undefined;
    if (typeof child === 'function' && ![String, Number, Boolean, Object, Array, Date].includes(child as never)) found.push(child);
  }
  return found;
}

/** Whether class-validator holds rules for this class (a request class), as opposed to a primitive or a plain type. */
export function isValidatedClass(target: unknown): target is Type<unknown> {
  return typeof target === 'function' && getMetadataStorage().getTargetValidationMetadatas(target, '', true, false).length > 0;
}

/** A class of the application's own that class-validator holds no rule for: a body that has no fields. */
function isRulelessClass(target: unknown): target is Type<unknown> {
  return (
    typeof target === 'function' &&
    ![String, Number, Boolean, Object, Array, Buffer, Date].includes(target as never) &&
    !isValidatedClass(target)
  );
}

/**
 * The JSON schema of a request class, generated from its class-validator rules (class-validator-jsonschema):
 * types, lengths, patterns, enums, min/max, formats, required fields. Unknown fields are refused by the
 * validation pipe (forbidNonWhitelisted), so `additionalProperties: false`; free text carries the edge's
 * character rule. Nested classes are `$ref`s to `#/components/schemas/<class name>`.
 */
export function validatorSchema(target: Type<unknown>): SchemaObject {
  const schema = targetConstructorToSchema(target, {
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/components/schemas/',
    additionalConverters: VALIDATOR_SCHEMA_CONVERTERS as never,
  }) as SchemaObject;
  // An optional field is left out, never null: the validation pipe refuses null in any field (errors.ts presenceProblems)
  const conditions = requiredWhenRules(target).map(({ property, field, values }) => ({
    anyOf: [{ required: [property] }, { properties: { [field]: { not: { enum: [...values] } } } }],
  }));
  return {
    ...(applyTextRule(schema) as SchemaObject),
    additionalProperties: false,
    ...(conditions.length > 0 ? { allOf: [...(schema.allOf ?? []), ...conditions] } : {}),
  };
}

/**
 * A request class's schema with the classes it nests written in place (no `$ref`), for a schema
 * composed by hand around validated payloads (a CloudEvent's `data`, say).
 */
export function inlineValidatorSchema(target: Type<unknown>): SchemaObject {
  const nested = new Map(nestedClasses(target).map((child) => [`#/components/schemas/${child.name}`, child]));
  const inline = (schema: Schema): Schema => {
    if (isReference(schema)) {
      const child = nested.get(schema.$ref);
      return child ? inlineValidatorSchema(child) : schema;
    }
    const out: SchemaObject = { ...schema };
    if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties).map(([name, value]) => [name, inline(value)]));
    if (out.items) out.items = inline(out.items);
    for (const key of ['oneOf', 'anyOf', 'allOf'] as const) if (out[key]) out[key] = out[key].map(inline);
    return out;
  };
  return inline(validatorSchema(target)) as SchemaObject;
}

/** Words a hand-written `@ApiProperty` adds to a generated schema: the rules come from the validators, the words from the author. */
const DESCRIPTIVE_KEYS = ['description', 'example', 'examples', 'title', 'deprecated'] as const;

function describe(generated: Schema, written: Schema | undefined): Schema {
  if (!written || isReference(written) || isReference(generated)) return generated;
  const words = Object.fromEntries(DESCRIPTIVE_KEYS.filter((key) => written[key] !== undefined).map((key) => [key, written[key]]));
  return { ...generated, ...words };
}

/** A class's schema with the descriptions of the schema @nestjs/swagger made from its `@ApiProperty`s. */
function describedSchema(target: Type<unknown>, written: SchemaObject | undefined): SchemaObject {
  const generated = validatorSchema(target);
  const properties = Object.fromEntries(
    Object.entries(generated.properties ?? {}).map(([name, property]) => [name, describe(property, written?.properties?.[name])]),
  );
  return { ...generated, ...(written?.description ? { description: written.description } : {}), properties };
}

/** Registers a request class (and the classes it nests) under components.schemas; fails on two classes with one name. */
function registerClass(document: OpenAPIObject, target: Type<unknown>, owners: Map<string, Type<unknown>>): void {
  const owner = owners.get(target.name);
  if (owner === target) return;
  if (owner) throw new Error(`two request classes are named ${target.name}: rename one (the OpenAPI document names schemas by class)`);
  owners.set(target.name, target);
  document.components ??= {};
  document.components.schemas ??= {};
  const written = document.components.schemas[target.name];
  document.components.schemas[target.name] = describedSchema(target, isReference(written) ? undefined : written);
  for (const child of nestedClasses(target)) registerClass(document, child, owners);
}

/** Parameters (query or path) from a request class: one per property, required as the validators say. */
function classParameters(target: Type<unknown>, location: 'query' | 'path', written: ParameterObject[]): ParameterObject[] {
  const schema = validatorSchema(target);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const before = written.find((parameter) => parameter.name === name && parameter.in === location);
    const { nullable: _nullable, ...value } = property as SchemaObject; // a query value is never null
    const described = describe(value, before?.schema) as SchemaObject;
    const { description, example } = described;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...((description ?? before?.description) ? { description: description ?? before?.description } : {}),
      ...(example !== undefined ? { example } : {}),
      schema: { ...described, description: undefined, example: undefined },
    };
  });
}

interface RouteArgument {
  index: number;
  data?: unknown;
  pipes?: unknown[];
}

interface Handler {
  controller: Type<unknown>;
  method: string;
}

/** operationId (`<Controller>_<method>`, @nestjs/swagger's default) → the handler behind it. */
function handlersByOperationId(app: INestApplication): Map<string, Handler> {
  const container = (app as unknown as { container: { getModules(): Map<string, { controllers: Map<unknown, { metatype?: unknown }> }> } })
    .container;
  const handlers = new Map<string, Handler>();
  for (const module of container.getModules().values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | undefined;
      if (!controller?.prototype) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[method];
        if (method === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined || Reflect.getMetadata(METHOD_METADATA, handler) === undefined)
          continue;
        handlers.set(`${controller.name}_${method}`, { controller, method });
      }
    }
  }
  return handlers;
}

function paramType(key: string): number {
  return Number(key.split(':')[0]);
}

/**
 * Rewrites the request side of each operation from the validators the handler's arguments go through:
 * `@Body()` classes become their generated schemas, `@Query()`/`@Param()` classes one parameter per
 * property, and path parameters checked by a pipe (`ParseUUIDPipe`, `ParseBigintIdPipe`, a pipe with
 * `openApiSchema`) take the pipe's schema.
 */
export function describeRequestsFromValidators(app: INestApplication, document: OpenAPIObject): void {
  const handlers = handlersByOperationId(app);
  const owners = new Map<string, Type<unknown>>();
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      const handler = operation?.operationId ? handlers.get(operation.operationId) : undefined;
      if (!operation || !handler) continue;
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, handler.controller, handler.method) ?? {}) as Record<string, RouteArgument>;
      const types = (Reflect.getMetadata('design:paramtypes', handler.controller.prototype as object, handler.method) ?? []) as unknown[];
      let parameters = ((operation.parameters ?? []) as ParameterObject[]).filter((parameter) => !isReference(parameter as never));
      for (const [key, argument] of Object.entries(args)) {
        const kind = paramType(key);
        const type = types[argument.index];
        if (kind === RouteParamtypes.BODY && argument.data === undefined && isValidatedClass(type)) {
          registerClass(document, type, owners);
          const schema = document.components!.schemas![type.name] as SchemaObject;
          const content = (operation.requestBody as { content?: Record<string, unknown> } | undefined)?.content ?? {};
          const mediaTypes = Object.keys(content).length > 0 ? Object.keys(content) : ['application/json'];
          operation.requestBody = {
            // A class whose fields are all optional takes no body at all as well
            required: (schema.required?.length ?? 0) > 0,
            content: Object.fromEntries(
              mediaTypes.map((mediaType) => [mediaType, { schema: { $ref: `#/components/schemas/${type.name}` } }]),
            ),
          };
        } else if (kind === RouteParamtypes.BODY && argument.data === undefined && isRulelessClass(type)) {
          // A class without fields (`class RunSweepRequest {}`): no body, or an empty object (the pipe refuses any field)
          const content = (operation.requestBody as { content?: Record<string, unknown> } | undefined)?.content ?? {};
          const mediaTypes = Object.keys(content).length > 0 ? Object.keys(content) : ['application/json'];
          if (document.components?.schemas?.[type.name]) delete document.components.schemas[type.name];
          operation.requestBody = {
            required: false,
            content: Object.fromEntries(
              mediaTypes.map((mediaType) => [mediaType, { schema: { type: 'object', properties: {}, additionalProperties: false } }]),
            ),
          };
        } else if (
          (kind === RouteParamtypes.QUERY || kind === RouteParamtypes.PARAM) &&
          argument.data === undefined &&
          isValidatedClass(type)
        ) {
          const location = kind === RouteParamtypes.QUERY ? 'query' : 'path';
          const generated = classParameters(type, location, parameters);
          parameters = [
            ...parameters.filter((parameter) => parameter.in !== location || !generated.some((g) => g.name === parameter.name)),
            ...generated,
          ];
          // @nestjs/swagger registers a query class as a schema of its own: a parameter list is what it is
          if (document.components?.schemas?.[type.name] && !owners.has(type.name)) delete document.components.schemas[type.name];
        } else if ((kind === RouteParamtypes.QUERY || kind === RouteParamtypes.PARAM) && typeof argument.data === 'string') {
          const location = kind === RouteParamtypes.QUERY ? 'query' : 'path';
          const schema = (argument.pipes ?? []).map(pipeSchema).find(Boolean);
          // Nest leaves a named query value undefined when it is absent: it is optional unless the handler says otherwise
          parameters = parameters.map((parameter) =>
            parameter.name === argument.data && parameter.in === location
              ? {
                  ...parameter,
                  ...(location === 'query' ? { required: false } : {}),
                  schema: applyTextRule({ ...(schema ?? (parameter.schema as SchemaObject) ?? { type: 'string' }) }),
                }
              : parameter,
          );
        }
      }
      operation.parameters = parameters;
      const ownBody = Reflect.getMetadata(REQUEST_BODY, (handler.controller.prototype as Record<string, object>)[handler.method]) as
        Record<string, SchemaObject> | undefined;
      if (ownBody)
        operation.requestBody = {
          required: true,
          content: Object.fromEntries(Object.entries(ownBody).map(([mediaType, schema]) => [mediaType, { schema }])),
        };
      // A route that declares only some responses still answers its success status
      if (!Object.keys(operation.responses ?? {}).some((status) => status.startsWith('2'))) {
        const fn = (handler.controller.prototype as Record<string, unknown>)[handler.method] as object;
        const status = (Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined) ?? (method === 'post' ? 201 : 200);
        operation.responses = { ...operation.responses, [status]: { description: status === 204 ? 'No content' : 'OK' } };
      }
    }
  }
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** RFC 9457 problem details, as every service answers an error (problem.ts). */
export const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details. `code` is stable (clients switch on it); `detail` never echoes the input.',
  required: ['type', 'status', 'code', 'title', 'detail', 'correlationId'],
  properties: {
    type: { type: 'string', example: 'about:blank' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    code: { type: 'string', example: 'VALIDATION_FAILED' },
    title: { type: 'string' },
    detail: { type: 'string' },
    correlationId: { type: 'string', description: 'Also in the x-correlation-id header; find the request in the logs by it' },
    errors: {
      type: 'array',
      description: 'For VALIDATION_FAILED: each field and the rule it broke',
      items: {
        type: 'object',
        required: ['field', 'rule', 'message'],
        properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } },
      },
    },
    details: { type: 'object', additionalProperties: true },
  },
  additionalProperties: true,
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED names each field and rule; MALFORMED_JSON; INVALID_VALUE). Nothing is written.',
  401: 'No API key, an unknown one or an expired one (x-api-key)',
  403: "The caller's department may not do this (ROLE_REQUIRED, OPERATOR_ONLY, or a rule of the domain)",
  404: 'No such resource, or not one the caller may see',
  409: 'Conflicts with the current state (a duplicate, a concurrent change, an Idempotency-Key still in use)',
  413: 'The body is larger than HTTP_BODY_LIMIT_BYTES',
  415: 'The body is not application/json (or the media type the route declares)',
  422: 'Well-formed but refused by a rule of the domain (the problem code names the rule; an Idempotency-Key reused with another request)',
  429: 'Over the rate limit of the API key (or too many wrong keys from the address); see Retry-After',
  503: 'The database or Kafka does not answer now; retry after Retry-After seconds',
};

const RETRY_AFTER = { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } };

/** The error statuses an operation can answer: every operation can be refused at the edge; the rest depends on what it does. */
export function errorStatuses(method: string, options: { public: boolean; pathParameters: boolean }): number[] {
  const write = ['post', 'put', 'patch', 'delete'].includes(method);
  return [
    400,
    ...(options.public ? [] : [401, 403]),
    ...(options.pathParameters || write ? [404] : []),
    ...(write ? [409, 413, 415] : []),
    422,
    429,
    503,
  ];
}

/**
 * The optional `Idempotency-Key` every POST honours (idempotency.ts): a replay with the same key and body gets
 * the first response again (with `Idempotency-Replayed: true`); the same key with another body is refused.
 */
export const IDEMPOTENCY_KEY_PARAMETER: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Optional; a retry with the same key and body answers the first response again (Idempotency-Replayed: true), ' +
    `the same key with another body is refused (422); keys are kept for IDEMPOTENCY_WINDOW_HOURS`,
  schema: { type: 'string', pattern: '^[!-~]{1,255}$' },
};

/**
 * Completes the document: a `Problem` schema for every error status an operation can answer (kept
 * descriptions where the route declared its own), `security: []` on public routes (`@Public()`), and the
 * `Idempotency-Key` header on every POST that does not declare its own (a route keeping keys itself does).
 */
export function declareProblemResponses(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.Problem = PROBLEM_SCHEMA;
  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      const isPublic = (operation as { 'x-public'?: unknown })['x-public'] === true;
      if (isPublic) operation.security = [];
      const parameters = (operation.parameters ?? []) as ParameterObject[];
      const pathParameters = parameters.some((parameter) => parameter.in === 'path');
      if (method === 'post' && !parameters.some((parameter) => parameter.in === 'header' && /^idempotency-key$/i.test(parameter.name)))
        operation.parameters = [...parameters, IDEMPOTENCY_KEY_PARAMETER];
      operation.responses ??= {};
      for (const status of errorStatuses(method, { public: isPublic, pathParameters })) {
        const declared = operation.responses[status] as { description?: string } | undefined;
        operation.responses[status] = {
          description: declared?.description ?? STATUS_TEXT[status],
          ...(status === 429 || status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
          content: problem,
        };
      }
    }
  }
}

/** Both steps, as createServiceApp applies them to the document @nestjs/swagger builds. */
export function completeOpenApiDocument(app: INestApplication, document: OpenAPIObject): OpenAPIObject {
  describeRequestsFromValidators(app, document);
  declareProblemResponses(document);
  return document;
}
