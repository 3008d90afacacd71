import {
  ArgumentMetadata,
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  ValidationPipe,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { getMetadataStorage, ValidationError, ValidationTypes } from 'class-validator';
import { QueryFailedError } from 'typeorm';
import { compiledPayload } from '@backbone/contracts';
import { IdempotentReplay, sendReplay } from './idempotent-replay';
import { correlationIdOf, Problem, sendProblem } from './problem';
import { transientError } from './transient-errors';

/** Seconds a client is asked to wait (Retry-After) when a dependency is unavailable. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * The stable error codes every service shares (each service lists its own in services/<svc>/src/<svc>.errors.ts).
 * Not-found codes are made by NotFoundError from what was not found (TASK_NOT_FOUND, APPROVAL_NOT_FOUND, …).
 */
export const PlatformError = {
  /** 400 — the request body or query broke a validation rule; each problem names its field and rule. */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  /** 422 — every field keeps its own rule, but they disagree (a rule across fields, ACROSS_FIELDS); each problem names its field and rule. */
  FIELDS_DISAGREE: 'FIELDS_DISAGREE',
  /** 403 — only operator departments (OPERATOR_DEPARTMENTS) may do this (dead letters, hand assignment, sweeps). */
  OPERATOR_ONLY: 'OPERATOR_ONLY',
  /** 403 — a market entity's own credential (`ENTITY-<USCC>` client) calls only the routes marked for entities. */
  ENTITY_CREDENTIAL_NOT_ALLOWED: 'ENTITY_CREDENTIAL_NOT_ALLOWED',
  /** 500 — an unexpected failure; the problem carries the correlation id to find it in the logs. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  /** 503 + Retry-After — the database or Kafka does not answer now (down, starting up, shutting down); `/health` names which. */
  DEPENDENCY_UNAVAILABLE: 'DEPENDENCY_UNAVAILABLE',
  /** 503 + Retry-After — the transaction lost a serialization or deadlock race; the same request succeeds when retried. */
  RETRY_LATER: 'RETRY_LATER',
  /** 403 — the route needs a role (README "Roles") the caller's department does not hold. */
  ROLE_REQUIRED: 'ROLE_REQUIRED',
  /** 422 — a department named in the request (transfer, hand assignment) is not known to the system. */
  UNKNOWN_DEPARTMENT: 'UNKNOWN_DEPARTMENT',
  /** 400 / 409 / 422 — the database refused a value (data exception / duplicate / constraint); no SQL is shown. */
  INVALID_VALUE: 'INVALID_VALUE',
  CONFLICT: 'CONFLICT',
  CONSTRAINT_VIOLATED: 'CONSTRAINT_VIOLATED',
  /** Idempotency-Key: malformed (400), reused with another request (422), still in progress (409). */
  INVALID_IDEMPOTENCY_KEY: 'INVALID_IDEMPOTENCY_KEY',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  /** 422 — a page cursor that is not the `next` value of a previous page (keyset pagination, cursor.ts). */
  BAD_CURSOR: 'BAD_CURSOR',
} as const;

/**
 * A domain rule was broken. `code` is stable (clients may switch on it); `status` is its HTTP status.
 * Domain code throws these; the edge turns them into RFC 9457 problem details.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = HttpStatus.UNPROCESSABLE_ENTITY,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super(`${what.toUpperCase().replace(/\s+/g, '_')}_NOT_FOUND`, `${what} ${id} does not exist`, HttpStatus.NOT_FOUND);
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, HttpStatus.FORBIDDEN);
  }
}

/** A dependency (the database, Kafka) does not answer: 503 with Retry-After, naming which. */
export class DependencyUnavailableError extends DomainError {
  constructor(
    readonly dependencies: string[],
    details?: Record<string, unknown>,
  ) {
    super(PlatformError.DEPENDENCY_UNAVAILABLE, `unavailable: ${dependencies.join(', ')}`, HttpStatus.SERVICE_UNAVAILABLE, details);
    this.name = 'DependencyUnavailableError';
  }
}

export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

const ACROSS_FIELD_RULES = new Set<string>();

/**
 * Names a rule across fields (`@ValidatorConstraint({ name: acrossFields('penaltiesMatchLicenceAction') })`):
 * each field may keep its own rule and the request still be refused because the fields disagree, which
 * no schema states. When every problem of a request is of this kind it answers 422 FIELDS_DISAGREE
 * (ADR 0050: 400 is for the rules the document states).
 */
export function acrossFields(rule: string): string {
  ACROSS_FIELD_RULES.add(rule);
  return rule;
}

type ValidationProblem = FieldProblem & { acrossFields?: boolean };

function fieldProblems(errors: ValidationError[], prefix = ''): ValidationProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule,
      message,
      ...(ACROSS_FIELD_RULES.has(rule) ? { acrossFields: true } : {}),
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

class RequestValidationError extends BadRequestException {
  readonly problems: FieldProblem[];
  /** Every problem is a rule across fields: 422 FIELDS_DISAGREE rather than 400 VALIDATION_FAILED. */
  readonly acrossFields: boolean;

  constructor(problems: ValidationProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.problems = problems.map(({ field, rule, message }) => ({ field, rule, message }));
    this.acrossFields = problems.length > 0 && problems.every((problem) => problem.acrossFields);
  }
}

/** Validates every request body and query: unknown fields are refused, each problem names its field and rule. */
export function requestValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => new RequestValidationError(fieldProblems(errors)),
  });
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/**
 * What class-validator lets through but the OpenAPI document (openapi.ts) refuses, found in the body
 * as sent: `null` in any field of a request class (an optional field is left out, never null: a
 * handler reading `field !== undefined` must not meet null), and a nested object the class requires
 * (`@ValidateNested()` without `@IsOptional()`) left out (class-validator skips an absent nested value).
 * Nested classes are followed (`@Type(() => …)`), array elements included.
 */
export function presenceProblems(target: abstract new (...args: never[]) => unknown, value: unknown, prefix = ''): FieldProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const body = value as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const { property, nested, conditional } of shapeOf(target)) {
    const field = prefix ? `${prefix}.${property}` : property;
    const given = Object.prototype.hasOwnProperty.call(body, property) ? body[property] : undefined;
    if (given === null) {
      problems.push({ field, rule: 'isNotNull', message: `${field} must not be null (leave an optional field out)` });
    } else if (given === undefined) {
      if (nested && !conditional) problems.push({ field, rule: 'isDefined', message: `${field} is required` });
    } else if (nested) {
      const child = defaultMetadataStorage.findTypeMetadata(target, property)?.typeFunction() as
        (abstract new (...args: never[]) => unknown) | undefined;
      if (typeof child !== 'function') continue;
      if (Array.isArray(given)) given.forEach((element, index) => problems.push(...presenceProblems(child, element, `${field}.${index}`)));
      else problems.push(...presenceProblems(child, given, field));
    }
  }
  return problems;
}

interface PropertyShape {
  property: string;
  nested: boolean;
  conditional: boolean;
}
const shapes = new WeakMap<object, PropertyShape[]>();

/**
 * A request class's validated properties, read from class-validator's metadata once per class (the
 * decorators have all run by the time a request arrives): reading them per request filtered every
 * class's metadata, a visible share of a POST's CPU.
 */
function shapeOf(target: abstract new (...args: never[]) => unknown): PropertyShape[] {
  let shape = shapes.get(target);
  if (shape === undefined) {
    const byProperty = new Map<string, { type: string }[]>();
    for (const meta of getMetadataStorage().getTargetValidationMetadatas(target, '', true, false)) {
      byProperty.set(meta.propertyName, [...(byProperty.get(meta.propertyName) ?? []), meta]);
    }
    shape = [...byProperty].map(([property, metas]) => ({
      property,
      nested: metas.some((meta) => meta.type === ValidationTypes.NESTED_VALIDATION),
      conditional: metas.some((meta) => meta.type === ValidationTypes.CONDITIONAL_VALIDATION),
    }));
    shapes.set(target, shape);
  }
  return shape;
}

const COMPILED_BODIES = new WeakSet<object>();

/**
 * `@CompiledValidation()` on a request class of a hot route: a valid body is checked by the plan compiled
 * from its validators and becomes the same instance the pipe would build (libs/contracts
 * compiled-validation.ts); an invalid one, or one outside the plan, goes through the pipe as before, so
 * every problem stays the pipe's. A class gets it with a spec holding the plan against the libraries
 * over its rules (ADR 0011; `decide-approval.request.spec.ts`).
 */
export function CompiledValidation(): ClassDecorator {
  return (target) => {
    COMPILED_BODIES.add(target);
  };
}

/**
 * A body bound to a request class must be a JSON object (an array or nothing is refused, naming the
 * body); null fields and absent required nested objects are refused with the validators' problems.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!this.toValidate(metadata)) return super.transform(value, metadata);
    if (metadata.type === 'body' && value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new RequestValidationError([{ field: 'body', rule: 'isObject', message: 'the body must be a JSON object' }]);
    }
    const presence = metadata.metatype ? presenceProblems(metadata.metatype, value) : [];
    if (presence.length === 0 && metadata.type === 'body' && metadata.metatype && COMPILED_BODIES.has(metadata.metatype)) {
      // The instance Nest's pipe would return, when it would return one; anything else takes the pipe (ADR 0011).
      const compiled = compiledPayload(metadata.metatype as new () => object, value, 'pipe');
      if (compiled !== undefined) return compiled;
    }
    let transformed: unknown;
    try {
      transformed = await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof RequestValidationError) || presence.length === 0) throw error;
      // one problem per field: the validators' own when they have one
      const named = new Set(error.problems.map((problem) => problem.field));
      throw new RequestValidationError([...error.problems, ...presence.filter((problem) => !named.has(problem.field))]);
    }
    if (presence.length > 0) throw new RequestValidationError(presence);
    return transformed;
  }
}

const HTTP_TITLES: Record<number, [code: string, title: string, detail: string]> = {
  400: ['BAD_REQUEST', 'Bad request', 'the request is invalid'],
  401: ['UNAUTHORIZED', 'Unauthorized', 'a valid API key is needed'],
  403: ['FORBIDDEN', 'Forbidden', 'the caller may not do this'],
  404: ['NOT_FOUND', 'Not found', 'no route matches this method and path'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed', 'this method is not allowed here'],
  406: ['NOT_ACCEPTABLE', 'Not acceptable', 'the response is JSON'],
  413: ['PAYLOAD_TOO_LARGE', 'Payload too large', 'the body is too large'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', 'send the body as application/json'],
  429: ['TOO_MANY_REQUESTS', 'Too many requests', 'slow down; see Retry-After'],
};

/**
 * PostgreSQL refused a value the validators let through (SQLSTATE class 22: data exception; 23:
 * integrity). The caller gets the class of problem, never the statement or the driver's message.
 */
function databaseProblem(error: QueryFailedError): Problem {
  const sqlState = String((error as { code?: unknown }).code ?? (error.driverError as { code?: unknown })?.code ?? '');
  if (sqlState.startsWith('22'))
    return {
      status: 400,
      code: 'INVALID_VALUE',
      title: 'The request is invalid',
      detail: 'a value is out of the range or format the service stores',
    };
  if (sqlState === '23505')
    return { status: 409, code: 'CONFLICT', title: 'Conflict', detail: 'a record with the same identity exists already' };
  if (sqlState.startsWith('23'))
    return { status: 422, code: 'CONSTRAINT_VIOLATED', title: 'Unprocessable', detail: 'the change breaks a rule of the stored data' };
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    title: 'Internal error',
    detail: 'An unexpected error occurred; see the service log by correlation id.',
  };
}

/** A message fit for a response: a database error is named by its SQLSTATE only (no statement, no values). */
export function publicErrorMessage(error: unknown): string {
  if (error instanceof QueryFailedError) {
    const sqlState = String((error as { code?: unknown }).code ?? (error.driverError as { code?: unknown })?.code ?? 'unknown');
    return `the database refused the change (SQLSTATE ${sqlState})`;
  }
  return redactSql(error instanceof Error ? error.message : String(error));
}

const SQL_TEXT = /\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|SELECT\s.+\sFROM|WITH\s+\S+\s+AS\s*\(|ON\s+CONFLICT)\b[\s\S]*/i;
const DRIVER_DETAIL =
  /(invalid (input )?(byte sequence|input syntax)[^:]*|value too long[^:]*|out of range[^:]*|violates [^:]*constraint)[\s\S]*/i;

/** Strips SQL statements and the driver's quoting of stored values from a text shown to callers. */
export function redactSql(text: string): string {
  return text.replace(SQL_TEXT, '[SQL statement redacted]').replace(DRIVER_DETAIL, (match) => match.split(/[:"]/)[0].trim());
}

/** Every error leaves as application/problem+json with a stable code and the correlation id; no input is echoed. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    // Not an error: the first response to this Idempotency-Key, given again (idempotency.ts).
    if (exception instanceof IdempotentReplay) return sendReplay(response, exception);
    const request = host.switchToHttp().getRequest<Request & { id?: string }>();
    // The request was answered before its route ended (the edge's 408 to a body that stopped arriving,
    // ADR 0123): the route's own answer has nowhere to go, and the service did nothing wrong.
    if (response.headersSent && (exception as { code?: unknown } | null)?.code === 'ERR_HTTP_HEADERS_SENT') {
      this.logger.log(
        { correlationId: correlationIdOf(request), status: response.statusCode },
        'answer dropped: the request was answered already',
      );
      return;
    }
    const body = this.toProblem(exception);
    const correlationId = correlationIdOf(request);
    if (body.status === HttpStatus.SERVICE_UNAVAILABLE) {
      // Not the request's fault: the same request succeeds once the dependency is back.
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      if (!(exception instanceof DependencyUnavailableError))
        this.logger.warn({ correlationId, detail: body.detail }, 'dependency unavailable');
    } else if (body.status >= 500) this.logger.error({ err: exception, correlationId }, 'unhandled error');
    if (exception instanceof HttpException) {
      const retryAfter = (exception.getResponse() as { retryAfter?: unknown })?.retryAfter;
      if (retryAfter !== undefined) response.setHeader('retry-after', String(retryAfter));
    }
    sendProblem(request, response, body);
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof RequestValidationError) {
      return {
        status: exception.acrossFields ? 422 : 400,
        code: exception.acrossFields ? PlatformError.FIELDS_DISAGREE : PlatformError.VALIDATION_FAILED,
        title: exception.acrossFields ? 'The fields of the request disagree' : 'The request is invalid',
        detail: exception.problems.map((p) => `${p.field}: ${p.message}`).join('; '),
        errors: exception.problems,
      };
    }
    if (exception instanceof DomainError) {
      return {
        status: exception.status,
        code: exception.code,
        title: exception.code,
        detail: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    const transient = transientError(exception);
    if (transient) {
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        code: transient.kind === 'outage' ? PlatformError.DEPENDENCY_UNAVAILABLE : PlatformError.RETRY_LATER,
        title: transient.kind === 'outage' ? `The ${transient.dependency} is unavailable` : 'A concurrent change got in the way',
        detail: `${transient.dependency}: ${transient.reason}; retry after ${RETRY_AFTER_SECONDS} s`,
        dependency: transient.dependency,
      };
    }
    if (exception instanceof QueryFailedError) return databaseProblem(exception);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const [code, title, fallback] = HTTP_TITLES[status] ?? [
        HttpStatus[status] ?? `HTTP_${status}`,
        HttpStatus[status] ?? 'Error',
        'the request failed',
      ];
      // Nest's own messages may quote the request (e.g. "Cannot GET /<path>"): only our own are kept.
      const own = (exception.getResponse() as { ownMessage?: unknown })?.ownMessage;
      return {
        status,
        code,
        title,
        detail: typeof own === 'string' ? own : status === 404 ? fallback : safeNestMessage(exception.message, fallback),
      };
    }
    return {
      status: 500,
      code: PlatformError.INTERNAL_ERROR,
      title: 'Internal error',
      detail: 'An unexpected error occurred; see the service log by correlation id.',
    };
  }
}

/** Nest's built-in pipe messages ("Validation failed (uuid is expected)") are safe; anything else is replaced. */
function safeNestMessage(message: string, fallback: string): string {
  return /^Validation failed \([a-z ]+ is expected\)$/.test(message) || /^(missing|the) x-api-key/.test(message) ? message : fallback;
}
