import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { ArgumentMetadata, Inject, Injectable, Logger, PipeTransform, RequestMethod, Type } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  PIPES_METADATA,
} from '@nestjs/common/constants';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Counter } from 'prom-client';
import { ApiKeyStore } from './api-keys';
import {
  addressBlockedError,
  API_CLIENTS,
  API_KEY_HEADER,
  Caller,
  entityOfClient,
  holdsRole,
  isPublicRoute,
  ROLE_TABLE,
  RoleTable,
  routeRoles,
} from './auth';
import type { BaseServiceConfig } from './config';
import { ProblemDetailsFilter, requestValidationPipe } from './errors';
import { answerBodyTimeout, edgeHeaders, inspectInput, parserProblem, validationProblem } from './http-edge';
import { sendProblem } from './problem';
import { apiKeyTracker, AuthFailures, rateBudget, throttledError, throttlerKey } from './rate-limit';
import { Metrics } from './metrics';
import { RequestTelemetry } from './request-telemetry';
import { SERVICE_CONFIG } from './tokens';

/** A Nest route that also has a direct path (ADR 0128): what it needs besides the route itself. */
export interface DirectRoute<C, B extends object> {
  /** The controller and its handler: their path, method, roles and rate budget are the direct path's. */
  controller: Type<C>;
  handler: keyof C & string;
  /** The handler's body class, validated by the same pipe as the handler's `@Body()`. */
  body: Type<B>;
  /** What the handler answers an authenticated caller with a valid body: the status and the body. */
  answer(caller: Caller, body: B): Promise<{ status: number; body: unknown }>;
}

/** A route as the direct path serves it. */
interface Prepared {
  route: DirectRoute<unknown, object>;
  path: string;
  roles: string[] | undefined;
  /** The controller's handler function (the route's own `route.handler` is its name). */
  handler: (...args: unknown[]) => unknown;
}

/** A request the direct path takes: its route and caller, known from the headers. */
interface Taken {
  prepared: Prepared;
  key: string;
  caller: Caller;
}

type EdgeRequest = IncomingMessage & { ip?: string; caller?: Caller };

const ONE_POSITIVE_LENGTH = /^[1-9][0-9]{0,9}$/;
/** The JSON media types body-parser reads as UTF-8 (others, and any other charset, take Express's path). */
const PLAIN_JSON = /^application\/json(?:;\s?charset=utf-8)?$/i;
const BODY: ArgumentMetadata = { type: 'body', data: undefined };

/**
 * Direct paths past Express and Nest for hot routes (ADR 0128). A route's direct path takes a request only
 * when its headers already show that the edge and Nest would let it through to the handler: POST to
 * exactly the route's path, a JSON body in UTF-8 of a length within the limit, no Transfer-Encoding,
 * Content-Encoding or Idempotency-Key (nor an Origin while CORS is on), an API key the store knows,
 * unexpired, of an agency holding one of the route's roles, from an address not blocked for wrong keys.
 * Every other request goes to Express untouched.
 *
 * What the edge and Nest do to a request they pass is done here by the same functions and instances: the
 * edge's headers, the 408 to a body that stops, the parser's problems, the input inspection, the
 * telemetry, the auth block, the rate budget (same storage, same key, same headers), the validation pipe,
 * and the problem filter for every error (a `DomainError`, an outage's 503 with Retry-After). The body is
 * parsed as body-parser parses it (BOM removed, strict: an object or an array). A spec,
 * `services/approval/test/direct-path.integration-spec.ts`, sends the same requests with the path on and
 * off and compares status, headers and body.
 */
@Injectable()
export class DirectRoutes {
  private readonly routes = new Map<string, Prepared>();
  private readonly headers: (request: IncomingMessage, response: ServerResponse) => void;
  private readonly pipe: PipeTransform = requestValidationPipe();
  private readonly filter = new ProblemDetailsFilter();
  private readonly logger = new Logger(DirectRoutes.name);
  private readonly budget: { name: string; ttl: number; limit: number };
  /** How many requests each direct path took (the rest of the route's requests went through Express). */
  private readonly taken: Counter<string>;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: BaseServiceConfig,
    @Inject(API_CLIENTS) private readonly clients: ApiKeyStore,
    @Inject(ROLE_TABLE) private readonly roles: RoleTable,
    private readonly failures: AuthFailures,
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly telemetry: RequestTelemetry,
    private readonly reflector: Reflector,
    private readonly adapterHost: HttpAdapterHost,
    metrics: Metrics,
  ) {
    this.headers = edgeHeaders(config);
    this.budget = rateBudget(config);
    this.taken = metrics.counter(
      'http_direct_requests_total',
      'Requests a direct path took past Express and Nest (ADR 0128), by route; the others of the route went through them',
      ['route'],
    );
  }

  /**
   * Gives a controller's route its direct path (unless HTTP_DIRECT_ROUTES is false). Called once the app
   * is built (`onApplicationBootstrap`); refuses a route whose answer needs more than the platform's
   * global guards, pipe and filter (its own guards, interceptors, pipes or filters, `@Public`, a method
   * other than POST).
   */
  install<C, B extends object>(route: DirectRoute<C, B>): void {
    if (!this.config.HTTP_DIRECT_ROUTES) return;
    const handler = route.controller.prototype[route.handler] as object;
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (method !== RequestMethod.POST) throw new Error(`${route.controller.name}.${route.handler}: a direct path is for a POST route`);
    for (const key of [GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA, EXCEPTION_FILTERS_METADATA]) {
      if ((Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, route.controller)) !== undefined)
        throw new Error(`${route.controller.name}.${route.handler}: a direct path cannot apply the route's own ${key}`);
    }
    if (isPublicRoute(this.reflector, handler, route.controller))
      throw new Error(`${route.controller.name}.${route.handler}: a direct path is for authenticated routes`);
    const path = joinPath(Reflect.getMetadata(PATH_METADATA, route.controller), Reflect.getMetadata(PATH_METADATA, handler));
    if (/[:*?(]/.test(path)) throw new Error(`${route.controller.name}.${route.handler}: a direct path has no path parameters (${path})`);
    const first = this.routes.size === 0;
    this.routes.set(path, {
      route: route as unknown as DirectRoute<unknown, object>,
      path,
      roles: routeRoles(this.reflector, handler, route.controller),
      handler: handler as (...args: unknown[]) => unknown,
    });
    if (first) this.wrap();
  }

  /** Puts the direct paths in front of Express's request listener (once: at the first route installed). */
  private wrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    const listeners = server.listeners('request') as RequestListener[];
    if (listeners.length !== 1) throw new Error(`direct routes expect one request listener (Express's), found ${listeners.length}`);
    const express = listeners[0];
    server.removeListener('request', express);
    server.on('request', (request: EdgeRequest, response: ServerResponse) => {
      const taken = this.takes(request);
      if (taken === undefined) return express(request, response);
      this.receive(request, response, taken);
    });
  }

  /** The route and caller of a request the direct path can answer as Express and Nest would, else undefined. */
  private takes(request: EdgeRequest): Taken | undefined {
    if (request.method !== 'POST') return undefined;
    const prepared = this.routes.get(request.url ?? '');
    if (prepared === undefined) return undefined;
    const headers = request.headers;
    if (headers['transfer-encoding'] !== undefined || headers['content-encoding'] !== undefined) return undefined;
    if (headers['idempotency-key'] !== undefined || (this.config.CORS_ORIGINS && headers.origin !== undefined)) return undefined;
    const length = headers['content-length'];
    if (length === undefined || !ONE_POSITIVE_LENGTH.test(length) || Number(length) > this.config.HTTP_BODY_LIMIT_BYTES) return undefined;
    const type = headers['content-type'];
    if (type === undefined || !PLAIN_JSON.test(type)) return undefined;
    const key = headers[API_KEY_HEADER];
    if (typeof key !== 'string' || key === '') return undefined;
    const found = this.clients.lookup(key);
    if (found === undefined || 'expired' in found) return undefined;
    const department = found.client.department;
    if (entityOfClient(department) !== undefined) return undefined;
    if (prepared.roles && !prepared.roles.some((role) => holdsRole(this.roles, role, department))) return undefined;
    if (this.failures.blockedFor(() => request.ip ?? 'unknown') > 0) return undefined;
    return { prepared, key, caller: { department } };
  }

  /** The edge's part: its headers, the body read within the request timeout, parsed and inspected. */
  private receive(request: EdgeRequest, response: ServerResponse, taken: Taken): void {
    this.taken.inc({ route: taken.prepared.path });
    this.headers(request, response);
    const chunks: Buffer[] = [];
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      answerBodyTimeout(request, response);
    }, this.config.HTTP_REQUEST_TIMEOUT_MS);
    timer.unref();
    request.on('data', (chunk: Buffer) => void chunks.push(chunk));
    request.once('end', () => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      this.parsed(request, response, taken, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    });
    request.once('close', () => {
      clearTimeout(timer);
      if (settled || request.complete) return;
      settled = true;
      sendProblem(request, response, parserProblem({ type: 'request.aborted' }, this.config.HTTP_BODY_LIMIT_BYTES));
    });
  }

  private parsed(request: EdgeRequest, response: ServerResponse, taken: Taken, raw: Buffer): void {
    let value: unknown;
    try {
      value = parseJson(raw);
    } catch {
      return sendProblem(request, response, parserProblem({ type: 'entity.parse.failed' }, this.config.HTTP_BODY_LIMIT_BYTES));
    }
    const problem = inspectInput(value, '', this.config.HTTP_MAX_JSON_DEPTH);
    if (problem) return sendProblem(request, response, validationProblem(problem));
    this.telemetry.begin(
      request,
      response,
      () =>
        void this.answer(request, response, taken, value).catch((error: unknown) => {
          // Only if the problem filter itself failed: the request is cut off rather than left hanging.
          this.logger.error({ err: error, correlationId: (request as { id?: string }).id }, 'a direct path failed to answer');
          response.destroy();
        }),
      taken.prepared.path,
    );
  }

  /** Nest's part: the guards' checks that depend on the moment, the pipe, the handler, the filter. */
  private async answer(request: EdgeRequest, response: ServerResponse, taken: Taken, value: unknown): Promise<void> {
    request.caller = taken.caller;
    try {
      const blocked = this.failures.blockedFor(() => request.ip ?? 'unknown');
      if (blocked > 0) throw addressBlockedError(blocked);
      const { name, ttl, limit } = this.budget;
      const key = throttlerKey(taken.prepared.route.controller.name, taken.prepared.route.handler, name, apiKeyTracker(taken.key));
      const hits = await this.storage.increment(key, ttl, limit, ttl, name);
      if (hits.isBlocked) {
        response.setHeader('Retry-After', String(hits.timeToBlockExpire));
        throw throttledError();
      }
      response.setHeader('X-RateLimit-Limit', String(limit));
      response.setHeader('X-RateLimit-Remaining', String(Math.max(0, limit - hits.totalHits)));
      response.setHeader('X-RateLimit-Reset', String(hits.timeToExpire));
      const body = (await this.pipe.transform(value, { ...BODY, metatype: taken.prepared.route.body })) as object;
      const answer = await taken.prepared.route.answer(taken.caller, body);
      // As Express's res.json writes it.
      const json = Buffer.from(JSON.stringify(answer.body), 'utf8');
      response.statusCode = answer.status;
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      response.setHeader('Content-Length', json.length);
      response.end(json);
    } catch (error) {
      // The host Nest itself gives a filter for an HTTP request.
      this.filter.catch(error, new ExecutionContextHost([request, response], taken.prepared.route.controller, taken.prepared.handler));
    }
  }
}

/** body-parser's JSON reading (strict): UTF-8 without its BOM, empty as `{}`, else an object or an array. */
export function parseJson(raw: Buffer): unknown {
  const text = raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.toString('utf8', 3) : raw.toString('utf8');
  if (text.length === 0) return {};
  const first = /^[ \t\n\r]*(.)/s.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw new SyntaxError('the body is not a JSON object or array');
  return JSON.parse(text);
}

/** `/approvals` from `@Controller('approvals')` and `@Post()`. */
function joinPath(controller: unknown, handler: unknown): string {
  const parts = [controller, handler].map((part) => (typeof part === 'string' ? part.replace(/^\/+|\/+$/g, '') : '')).filter(Boolean);
  return `/${parts.join('/')}`;
}
