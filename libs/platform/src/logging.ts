import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { workContext } from './context';

export const CORRELATION_HEADER = 'x-correlation-id';

/** JSON logs (pino), every line carrying the service name and the correlation id of its work. */
export function loggerParams(service: string, level: string): Params {
  return {
    pinoHttp: {
      level,
      base: { service },
      messageKey: 'message',
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: { level: (label: string) => ({ level: label }) },
      mixin: () => {
        const { correlationId, eventId } = workContext.current();
        return { ...(correlationId ? { correlationId } : {}), ...(eventId ? { eventId } : {}) };
      },
      genReqId: (request: IncomingMessage) => {
        const given = request.headers[CORRELATION_HEADER];
        return (Array.isArray(given) ? given[0] : given) ?? randomUUID();
      },
      customProps: (request: IncomingMessage & { id?: unknown }) => ({ correlationId: request.id }),
      autoLogging: { ignore: (request: IncomingMessage) => ['/health', '/health/live', '/metrics'].includes(request.url ?? '') },
      redact: ['req.headers["x-api-key"]', 'req.headers.authorization'],
    },
  };
}
