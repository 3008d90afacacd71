import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_HEADER } from './logging';

/** An RFC 9457 problem: `code` is stable (clients switch on it), `detail` never echoes the caller's input. */
export interface Problem {
  status: number;
  code: string;
  title: string;
  detail: string;
  [extension: string]: unknown;
}

const SAFE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The correlation id of a request: the caller's `x-correlation-id` when it is a plain token, else a new
 * one. Set once, on the request (`req.id`, which pino-http and the problem responses read) and on the
 * response header, before anything else can fail.
 */
export function correlationIdOf(request: IncomingMessage & { id?: unknown }): string {
  if (typeof request.id === 'string') return request.id;
  const given = request.headers[CORRELATION_HEADER];
  const candidate = Array.isArray(given) ? given[0] : given;
  const id = candidate && SAFE_CORRELATION_ID.test(candidate) ? candidate : randomUUID();
  request.id = id;
  return id;
}

/** Writes a problem as application/problem+json with the correlation id (also used outside Nest: parser errors, timeouts). */
export function sendProblem(request: IncomingMessage & { id?: unknown }, response: ServerResponse, problem: Problem): void {
  const correlationId = correlationIdOf(request);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify({ type: 'about:blank', ...problem, correlationId });
  response.statusCode = problem.status;
  response.setHeader('content-type', 'application/problem+json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(body));
  response.setHeader(CORRELATION_HEADER, correlationId);
  response.setHeader('cache-control', 'no-store');
  response.end(body);
}

/** A raw HTTP/1.1 problem response for a socket the HTTP parser gave up on (no request object exists). */
export function rawProblemResponse(status: number, reason: string, problem: Problem): string {
  const body = JSON.stringify({ type: 'about:blank', ...problem, correlationId: randomUUID() });
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}
