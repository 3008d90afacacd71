import {
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
import type { ValidationError } from 'class-validator';
import { workContext } from './context';
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
  /** 403 — only operator departments (OPERATOR_DEPARTMENTS) may do this (dead letters, hand assignment, sweeps). */
  OPERATOR_ONLY: 'OPERATOR_ONLY',
  /** 500 — an unexpected failure; the problem carries the correlation id to find it in the logs. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  /** 503 + Retry-After — the database or Kafka does not answer now (down, starting up, shutting down); `/health` names which. */
  DEPENDENCY_UNAVAILABLE: 'DEPENDENCY_UNAVAILABLE',
  /** 503 + Retry-After — the transaction lost a serialization or deadlock race; the same request succeeds when retried. */
  RETRY_LATER: 'RETRY_LATER',
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

function fieldProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field, rule, message }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

class RequestValidationError extends BadRequestException {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}

/** Validates every request body and query: unknown fields are refused, each problem names its field and rule. */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => new RequestValidationError(fieldProblems(errors)),
  });
}

/** Every error leaves as application/problem+json with a stable code and the correlation id. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request & { id?: string }>();
    const correlationId = request.id ?? workContext.current().correlationId;
    const body = this.toProblem(exception);
    if (body.status === HttpStatus.SERVICE_UNAVAILABLE) {
      // Not the request's fault: the same request succeeds once the dependency is back.
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      if (!(exception instanceof DependencyUnavailableError))
        this.logger.warn({ correlationId, detail: body.detail }, 'dependency unavailable');
    } else if (body.status >= 500) this.logger.error({ err: exception, correlationId }, 'unhandled error');
    response
      .status(body.status)
      .type('application/problem+json')
      .json({ ...body, instance: request.originalUrl, correlationId });
  }

  private toProblem(exception: unknown): { status: number; code: string; title: string; detail: string; [k: string]: unknown } {
    if (exception instanceof RequestValidationError) {
      return {
        status: 400,
        code: PlatformError.VALIDATION_FAILED,
        title: 'The request is invalid',
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
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return {
        status,
        code: HttpStatus[status] ?? `HTTP_${status}`,
        title: HttpStatus[status] ?? 'Error',
        detail: exception.message,
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
