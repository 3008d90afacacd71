import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { workContext } from './context';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * JSON logs (pino), every line carrying the service name and the correlation id of its work.
 * A request that succeeded is logged at debug only (the gateway's access log has it): at a thousand
 * loops a second, a 1.3 KB line per request is CPU the loop needs. 4xx are warnings, 5xx errors.
 * Lines written while a request is handled carry its id, not the whole request again.
 */
export function loggerParams(service: string, level: string): Params {
  return {
    pinoHttp: {
      quietReqLogger: true,
      level,
      base: { service },
      messageKey: 'message',
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: { level: (label: string) => ({ level: label }) },
      // A request's own lines already carry its id (customProps, bound once on the request's logger):
      // the mixin adds the work context's id only where no binding has it, so a key never appears twice.
      mixin: (_merged: object, _level: number, logger?: { bindings?: () => Record<string, unknown> }) => {
        const { correlationId, eventId } = workContext.current();
        const bound = correlationId ? logger?.bindings?.().correlationId : undefined;
        return { ...(correlationId && bound === undefined ? { correlationId } : {}), ...(eventId ? { eventId } : {}) };
      },
      genReqId: (request: IncomingMessage) => {
        const given = request.headers[CORRELATION_HEADER];
        return (Array.isArray(given) ? given[0] : given) ?? randomUUID();
      },
      customProps: (request: IncomingMessage & { id?: unknown }) => ({ correlationId: request.id }),
      customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'debug',
      autoLogging: { ignore: (request: IncomingMessage) => ['/health', '/health/live', '/metrics'].includes(request.url ?? '') },
      redact: ['req.headers["x-api-key"]', 'req.headers.authorization'],
    },
  };
}
