import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { CanActivate, ExecutionContext, HttpException, HttpStatus, INestApplication, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { API_KEY_HEADER } from './auth';
import type { BaseServiceConfig } from './config';
import { CORRELATION_HEADER } from './logging';
import { correlationIdOf, Problem, rawProblemResponse, sendProblem } from './problem';
import { RequestTelemetry } from './request-telemetry';
import { RouteMemo } from './route-memo';

/** Keys that could reach an object's prototype: refused wherever they appear, like any unknown field. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/**
 * C0 and C1 control characters other than tab, line feed and carriage return, and lone UTF-16
 * surrogates (not storable as UTF-8): refused in any text at the edge.
 */
export const CONTROL_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * 415 for a body the route does not take: JSON unless the route declares other media types with
 * `@ApiConsumes` (a streamed import, say), which then reads the body itself. Runs once the route is
 * known; the JSON parser before it reads JSON bodies only.
 */
@Injectable()
export class MediaTypeGuard implements CanActivate {
  /** The media types a route takes: its `@ApiConsumes`, else JSON. */
  private readonly routes: RouteMemo<string[]>;

  constructor(reflector: Reflector) {
    this.routes = new RouteMemo((handler, controller) => {
      const declared = reflector.getAllAndOverride<string[] | undefined>(DECORATORS.API_CONSUMES, [handler as never, controller as never]);
      return declared?.length ? declared : JSON_TYPES;
    });
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!BODY_METHODS.has(request.method) || !hasBody(request)) return true;
    const accepted = this.routes.of(context);
    if (request.is(accepted)) return true;
    throw new HttpException(
      { ownMessage: `send the body as ${(accepted === JSON_TYPES ? ['application/json'] : accepted).join(' or ')}` },
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
}

export interface InputProblem {
  field: string;
  rule: string;
  message: string;
}

/**
 * Walks parsed input without recursion (a hostile document cannot overflow the stack): too deep,
 * a prototype key, a control character. Reports the first problem found, naming the field.
 */
export function inspectInput(value: unknown, root: string, maxDepth: number): InputProblem | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (CONTROL_CHARACTERS.test(current))
        return {
          field: path,
          rule: 'noControlCharacters',
          message: `${path} must not contain control characters (NUL, escapes, lone surrogates)`,
        };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) return { field: path, rule: 'maxDepth', message: `${path} is nested deeper than ${maxDepth} levels` };
    for (const key of Object.keys(current)) {
      const field = Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return { field, rule: 'forbiddenKey', message: `property ${key} should not exist` };
      if (CONTROL_CHARACTERS.test(key))
        return { field: path || 'body', rule: 'noControlCharacters', message: 'a property name contains control characters' };
      stack.push({ value: (current as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return undefined;
}

export function validationProblem(problem: InputProblem): Problem {
  return {
    status: 400,
    code: 'VALIDATION_FAILED',
    title: 'The request is invalid',
    detail: `${problem.field}: ${problem.message}`,
    errors: [problem],
  };
}

/** body-parser's error types → problems (none echoes the body). */
export function parserProblem(error: { type?: string; status?: number }, limit: number): Problem {
  switch (error.type) {
    case 'entity.too.large':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', title: 'Payload too large', detail: `the body is larger than ${limit} bytes` };
    case 'entity.parse.failed':
      return { status: 400, code: 'MALFORMED_JSON', title: 'Malformed JSON', detail: 'the body is not a JSON object or array' };
    case 'request.size.invalid':
      return {
        status: 400,
        code: 'CONTENT_LENGTH_MISMATCH',
        title: 'Bad request',
        detail: 'the body length does not match Content-Length',
      };
    case 'request.aborted':
      return { status: 400, code: 'REQUEST_ABORTED', title: 'Bad request', detail: 'the body ended before Content-Length bytes arrived' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return {
        status: 415,
        code: 'UNSUPPORTED_ENCODING',
        title: 'Unsupported media type',
        detail: 'send JSON in UTF-8, without content-encoding',
      };
    case 'parameters.too.many':
      return { status: 400, code: 'TOO_MANY_PARAMETERS', title: 'Bad request', detail: 'too many parameters' };
    default:
      return error.status && error.status >= 400 && error.status < 500
        ? { status: error.status, code: 'BAD_REQUEST', title: 'Bad request', detail: 'the request could not be read' }
        : {
            status: 500,
            code: 'INTERNAL_ERROR',
            title: 'Internal error',
            detail: 'An unexpected error occurred; see the service log by correlation id.',
          };
  }
}

/**
 * 408 to a body that stopped arriving (a JSON body not complete within HTTP_REQUEST_TIMEOUT_MS; a streamed
 * one after `pausedMs` without a byte), and the request cut off with its connection once answered.
 */
export function answerBodyTimeout(request: IncomingMessage, response: ServerResponse, pausedMs?: number): void {
  sendProblem(request, response, {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    title: 'Request timeout',
    detail:
      pausedMs !== undefined
        ? `the body stopped arriving: nothing came for ${pausedMs} ms`
        : 'the body did not arrive in time (does Content-Length match the body?)',
  });
  // The request too, not only its socket: a route still reading the body sees it cut off (once the
  // answer is sent, Node no longer ends a request whose connection closes).
  response.once('finish', () => {
    request.destroy();
    request.socket.destroy();
  });
}

function hasBody(request: Request): boolean {
  if (request.headers['transfer-encoding'] !== undefined) return true;
  const length = request.headers['content-length'];
  return length !== undefined && length !== '0';
}

/** Methods the app's router answers on a path (for OPTIONS and Allow). */
function allowedMethods(expressApp: express.Express, path: string): string[] {
  const stack = (
    expressApp as unknown as {
      router?: { stack: Array<{ route?: { path: unknown; methods: Record<string, boolean> }; match(path: string): boolean }> };
    }
  ).router?.stack;
  const methods = new Set<string>();
  const matching = (stack ?? []).filter((layer) => {
    // Routes only; middleware mounted on every path (`/{*path}`) answers nothing by itself.
    if (!layer.route || String(layer.route.path).includes('*')) return false;
    try {
      return layer.match(path);
    } catch {
      return false;
    }
  });
  // A path named literally by a route (`/complaints/hotline-intake`) is that resource, not an id of `/complaints/:id`.
  const literal = matching.filter((layer) => !String(layer.route!.path).includes(':'));
  for (const layer of literal.length > 0 ? literal : matching) {
    for (const [method, on] of Object.entries(layer.route!.methods)) if (on && method !== '_all') methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  if (methods.size > 0) methods.add('OPTIONS');
  return [...methods];
}

/**
 * The headers a middleware that only sets fixed headers (helmet) sets, found by running it once
 * against a recording response. It must neither read the request nor remove a header.
 */
export function staticHeaders(middleware: (request: never, response: never, next: (error?: unknown) => void) => void): [string, string][] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => void headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => void headers.delete(name.toLowerCase()),
  };
  let called = false;
  middleware({ headers: {}, method: 'GET', url: '/' } as never, recorder as never, (error?: unknown) => {
    if (error) throw error;
    called = true;
  });
  if (!called) throw new Error('the header middleware did not call next() synchronously');
  return [...headers];
}

/**
 * The headers the edge sets on every answer before anything else runs: the correlation id, `no-store`
 * for an authenticated call, and the security headers (helmet's, run once here). A request's own
 * middleware (the edge) and a direct route (direct-route.ts) set them with the same function.
 */
export function edgeHeaders(config: BaseServiceConfig): (request: IncomingMessage, response: ServerResponse, next?: () => void) => void {
  // The security headers are the same on every answer: helmet runs once here, and a request sets what it set.
  const securityHeaders = staticHeaders(
    helmet({
      // Framing is refused (clickjacking); script and style sources are left to the pages that have any
      // (the console), so that the platform does not break them.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc, frameAncestors: ["'none'"] },
      },
      frameguard: { action: 'deny' },
      crossOriginEmbedderPolicy: false,
      crossOriginResourcePolicy: { policy: config.CORS_ORIGINS ? 'cross-origin' : 'same-origin' },
      hsts: false, // TLS ends at the gateway, which sets it
    }),
  );
  return (request, response, next) => {
    response.setHeader(CORRELATION_HEADER, correlationIdOf(request));
    // Authenticated answers are the caller's department's data: never cached by a shared cache.
    if (request.headers[API_KEY_HEADER] !== undefined) response.setHeader('cache-control', 'no-store');
    for (const [name, value] of securityHeaders) response.setHeader(name, value);
    next?.();
  };
}

/**
 * The HTTP edge every service shares, in front of Nest's routing: correlation id, security headers,
 * CORS (off unless CORS_ORIGINS), OPTIONS, media type (415), body size (413), JSON depth, prototype
 * keys and control characters (400), and problem responses for everything that fails here — the
 * JSON parser, a Content-Length that lies, a request that never completes. A direct path (direct-route.ts,
 * ADR 0128) does the same to the requests it takes, by the functions exported here.
 */
export function installHttpEdge(app: INestApplication, config: BaseServiceConfig): void {
  const expressApp = app.getHttpAdapter().getInstance() as express.Express;
  expressApp.disable('x-powered-by');
  // No ETag on JSON answers: Express hashed every body (SHA-1) for it, ~1.4 % of approval's CPU per loop
  // (ADR 0029), while authenticated answers are no-store and nothing sends If-None-Match. Files sent with
  // sendFile (the console's page) keep theirs.
  expressApp.set('etag', false);
  const limit = config.HTTP_BODY_LIMIT_BYTES;

  app.use(edgeHeaders(config));
  const corsOrigins = config.CORS_ORIGINS ? config.CORS_ORIGINS.split(',') : [];
  if (corsOrigins.length > 0) {
    app.enableCors({
      origin: corsOrigins,
      allowedHeaders: ['content-type', API_KEY_HEADER, CORRELATION_HEADER, 'idempotency-key'],
      exposedHeaders: [CORRELATION_HEADER, 'retry-after', 'idempotency-replayed'],
      maxAge: 600,
    });
  }
  // The methods a path answers, remembered per path (the routes are fixed once the app listens; ids
  // make paths many, so the memory is bounded): matching every route's pattern per request was a
  // visible share of a POST's CPU.
  const methodsByPath = new Map<string, string[]>();
  const methodsOf = (path: string): string[] => {
    let methods = methodsByPath.get(path);
    if (methods === undefined) {
      methods = allowedMethods(expressApp, path);
      if (methodsByPath.size >= 1000) methodsByPath.clear();
      methodsByPath.set(path, methods);
    }
    return methods;
  };
  // One middleware for the checks before the body is read (a middleware each cost a router step each).
  app.use((request: Request, response: Response, next: NextFunction) => {
    // OPTIONS: the methods the path answers.
    if (request.method === 'OPTIONS') {
      const methods = methodsOf(request.path);
      if (methods.length === 0)
        return sendProblem(request, response, { status: 404, code: 'NOT_FOUND', title: 'Not found', detail: 'no route matches this path' });
      response.setHeader('allow', methods.join(', '));
      return void response.status(204).end();
    }
    // A path that exists, asked with a method it does not answer: 405 with Allow (RFC 9110), not 404.
    const methods = methodsOf(request.path);
    if (methods.length > 0 && !methods.includes(request.method)) {
      response.setHeader('allow', methods.join(', '));
      return sendProblem(request, response, {
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        title: 'Method not allowed',
        detail: `this path answers ${methods.join(', ')}`,
      });
    }
    let path: string;
    try {
      path = decodeURIComponent(request.path);
    } catch {
      return sendProblem(
        request,
        response,
        validationProblem({ field: 'path', rule: 'percentEncoding', message: 'the path is not valid percent-encoding' }),
      );
    }
    if (CONTROL_CHARACTERS.test(path))
      return sendProblem(
        request,
        response,
        validationProblem({ field: 'path', rule: 'noControlCharacters', message: 'the path must not contain control characters' }),
      );
    // A body that stops arriving (a Content-Length that promises more than is sent) is answered 408, not left
    // hanging. A JSON body must be complete within HTTP_REQUEST_TIMEOUT_MS; a body its route streams (a
    // register's import) may take as long as it keeps arriving: it is cut only when nothing came for that long
    // and nothing waits unread (ADR 0123). The whole of it is bounded by HTTP_STREAMED_BODY_MAX_MS (below).
    if (!hasBody(request) || request.complete) return next();
    let seen = request.socket.bytesRead;
    const timer = setInterval(() => {
      if (request.complete || response.headersSent) return clearInterval(timer);
      const streamed = !request.is(JSON_TYPES); // asked only here: a POST's hot path does not parse its type twice
      const read = request.socket.bytesRead;
      if (streamed && (read > seen || request.readableLength > 0)) return void (seen = read);
      clearInterval(timer);
      answerBodyTimeout(request, response, streamed ? config.HTTP_REQUEST_TIMEOUT_MS : undefined);
    }, config.HTTP_REQUEST_TIMEOUT_MS);
    timer.unref();
    request.once('end', () => clearInterval(timer));
    response.once('close', () => clearInterval(timer));
    next();
  });
  app.use(express.json({ limit, strict: true, type: JSON_TYPES }));
  app.use((error: { type?: string; status?: number }, request: Request, response: Response, next: NextFunction) => {
    void next;
    sendProblem(request, response, parserProblem(error, limit));
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const problem = inspectInput(request.body, '', config.HTTP_MAX_JSON_DEPTH) ?? inspectInput(request.query, '', 4);
    if (problem) return sendProblem(request, response, validationProblem(problem));
    next();
  });
  app.use(app.get(RequestTelemetry).middleware());

  const server = app.getHttpServer() as Server;
  // A body that never completes (a Content-Length that promises more than is sent) ends in a problem response;
  // the edge's own timer answers first, this is the bound on the whole of a streamed body.
  server.requestTimeout = Math.max(2 * config.HTTP_REQUEST_TIMEOUT_MS, config.HTTP_STREAMED_BODY_MAX_MS);
  server.headersTimeout = Math.min(60_000, config.HTTP_REQUEST_TIMEOUT_MS);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const problem: Problem = timeout
      ? {
          status: 408,
          code: 'REQUEST_TIMEOUT',
          title: 'Request timeout',
          detail: 'the request did not complete in time (does Content-Length match the body?)',
        }
      : tooLarge
        ? { status: 431, code: 'HEADERS_TOO_LARGE', title: 'Request header fields too large', detail: 'the request headers are too large' }
        : {
            status: 400,
            code: 'MALFORMED_REQUEST',
            title: 'Bad request',
            detail: 'the request is not valid HTTP/1.1 (does Content-Length match the body?)',
          };
    socket.end(rawProblemResponse(problem.status, problem.title, problem));
  });
}
