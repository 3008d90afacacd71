import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';
import { workContext } from './context';

export const CORRELATION_HEADER = 'x-correlation-id';

/** Paths that are never logged per request (probes and scrapes every few seconds). */
const UNLOGGED = new Set(['/health', '/health/live', '/metrics']);

/**
 * The service's logger: JSON lines (pino), each carrying the service name and the correlation id of the
 * work in progress (the request's, or the event's being handled: `workContext`), with the event id when
 * an event is handled.
 */
export function createServiceLogger(service: string, level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    messageKey: 'message',
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label: string) => ({ level: label }) },
    // Merged under the line's own fields (pino's default merge), so a key given explicitly appears once.
    mixin: () => {
      const { correlationId, eventId } = workContext.current();
      return correlationId ? (eventId ? { correlationId, eventId } : { correlationId }) : eventId ? { eventId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * nestjs-pino's Logger (Nest's own log calls, `new Logger(...)` in services) over the service's logger,
 * without its per-request middleware: pino-http made three child loggers and serialised the request and
 * response on every request (~8 % of approval's CPU per loop, ADR 0029). The request line is the
 * platform's own (`logRequest`); lines written while a request is handled get its id from the work context.
 */
export function loggerParams(logger: Logger): Params {
  return { pinoHttp: { logger }, useExisting: true, forRoutes: [] };
}

/** What the request line needs of a request (Express's, or a plain Node one in the spec). */
export interface LoggedRequest extends IncomingMessage {
  originalUrl?: string;
  ip?: string;
  caller?: { department?: string };
}

/**
 * One line per request, written when the response is finished: a success at debug (the gateway's access
 * log has it; at a thousand loops a second a line per request is CPU the loop needs), a 4xx as a warning,
 * a 5xx as an error. The line names the method, the path as called, the route pattern, the status, the
 * time taken, the correlation id, and for failures the caller's department and address. Errors themselves
 * are logged with their stack by the problem filter.
 */
export function logRequest(logger: Logger, request: LoggedRequest, response: ServerResponse, route: string, startedAt: bigint): void {
  const status = response.statusCode;
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'debug';
  if (!logger.isLevelEnabled(level)) return;
  const url = request.originalUrl ?? request.url ?? '';
  if (UNLOGGED.has(url)) return;
  const line: Record<string, unknown> = {
    // set by the edge's first middleware (problem.ts correlationIdOf)
    correlationId: (request as { id?: unknown }).id,
    method: request.method,
    url,
    route,
    status,
    ms: Math.round(Number(process.hrtime.bigint() - startedAt) / 1e4) / 100,
  };
  if (status >= 400) {
    line.department = request.caller?.department;
    line.remoteAddress = request.ip ?? request.socket?.remoteAddress;
  }
  logger[level](line, status >= 500 ? 'request failed' : 'request completed');
}
