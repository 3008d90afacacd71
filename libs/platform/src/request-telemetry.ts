import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import type { Logger } from 'pino';
import { workContext } from './context';
import { LoggedRequest, logRequest } from './logging';
import { Metrics } from './metrics';
import { SERVICE_LOGGER } from './tokens';

/**
 * What every request gets once the edge has let it through: its metrics (rate, latency and status per
 * route), its log line (logging.ts), both from one listener when the response has finished, and a work
 * context carrying its correlation id for everything it runs. The edge's last middleware is a plain
 * Express one (`middleware()`: as a Nest middleware on every path it also cost Nest's wrapper and a route
 * match, ADR 0029); a direct route (direct-route.ts) calls `begin` with its route.
 */
@Injectable()
export class RequestTelemetry {
  private readonly requests: Counter<string>;
  private readonly duration: Histogram<string>;

  constructor(
    metrics: Metrics,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    this.requests = metrics.counter('http_requests_total', 'HTTP requests by method, route and status', ['method', 'route', 'status']);
    this.duration = metrics.histogram(
      'http_request_duration_seconds',
      'HTTP request latency by method and route',
      ['method', 'route'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    );
  }

  /**
   * Times the request from now, records it once its answer has finished, and runs `next` in its work
   * context. The route is the pattern (/tasks/:id), never the raw path: one series per route, not per id;
   * without `route`, Express's matched route when the answer finishes, else `unmatched`.
   */
  begin(request: IncomingMessage & LoggedRequest, response: ServerResponse, next: () => void, route?: string): void {
    const startedAt = process.hrtime.bigint();
    response.once('finish', () => {
      const matched = route ?? routeOf(request);
      const labels = { method: request.method ?? '', route: matched };
      this.duration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
      this.requests.inc({ method: labels.method, route: matched, status: String(response.statusCode) });
      logRequest(this.logger, request, response, matched, startedAt);
    });
    workContext.run({ correlationId: (request as { id?: string }).id }, next);
  }

  /** The edge's last middleware. */
  middleware(): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
    return (request, response, next) => this.begin(request, response, next);
  }
}

function routeOf(request: IncomingMessage): string {
  const { route, baseUrl } = request as { route?: { path?: string }; baseUrl?: string };
  return route?.path === undefined ? 'unmatched' : `${baseUrl ?? ''}${route.path}`;
}
