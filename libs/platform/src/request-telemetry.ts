import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { workContext } from './context';
import { logRequest } from './logging';
import type { Metrics } from './metrics';

/**
 * What every request gets once the edge has let it through: its metrics (rate, latency and status per
 * route), its log line (logging.ts), both from one listener when the response has finished, and a work
 * context carrying its correlation id for everything it runs. A plain Express middleware, the edge's
 * last: as a Nest middleware on every path it also cost Nest's wrapper and a route match (ADR 0029).
 */
export function requestTelemetry(metrics: Metrics, logger: Logger): (request: Request, response: Response, next: NextFunction) => void {
  const requests = metrics.counter('http_requests_total', 'HTTP requests by method, route and status', ['method', 'route', 'status']);
  const duration = metrics.histogram(
    'http_request_duration_seconds',
    'HTTP request latency by method and route',
    ['method', 'route'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  return (request, response, next) => {
    const startedAt = process.hrtime.bigint();
    response.once('finish', () => {
      // The route pattern (/tasks/:id), never the raw path: one series per route, not per id.
      const pattern = (request.route as { path?: string } | undefined)?.path;
      const route = pattern === undefined ? 'unmatched' : `${request.baseUrl ?? ''}${pattern}`;
      const labels = { method: request.method, route };
      duration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
      requests.inc({ method: labels.method, route, status: String(response.statusCode) });
      logRequest(logger, request, response, route, startedAt);
    });
    workContext.run({ correlationId: (request as { id?: string }).id }, next);
  };
}
