import * as http from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';

type IncomingMessageClass = typeof http.IncomingMessage;
type ServerResponseClass = typeof http.ServerResponse;

/**
 * Nest's Express adapter, with an HTTP server whose requests and responses are born with Express's
 * prototypes (ADR 0089).
 *
 * For every request Express calls `Object.setPrototypeOf(req, app.request)` and the same for `res`. The
 * objects change shape after Node's HTTP code has used them, so the property reads of both Node's HTTP
 * code and Express's run through V8's generic lookups instead of its inline caches. An on-CPU profile
 * of approval under the loop bench had a quarter of its main thread in those lookups (router `next`,
 * `_http_outgoing` `write_`/`end`/`_storeHeader`). Here the server builds `req` and `res` with
 * `app.request` and `app.response` as their prototypes from the start, so Express's `setPrototypeOf`
 * finds the prototype already set and changes nothing. What the objects are and do is unchanged: both
 * prototypes inherit from Node's `IncomingMessage.prototype` and `ServerResponse.prototype`.
 */
export class PrototypedExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    // TLS ends at the gateway (deploy/gateway), and nothing here asks Nest to track connections: any
    // other setup keeps Nest's own server.
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    const app = this.getInstance<Express>();
    this.httpServer = http.createServer({ IncomingMessage: requestClass(app), ServerResponse: responseClass(app) }, app);
  }
}

/** A constructor of Node's requests whose instances have Express's request prototype. */
export function requestClass(app: Express): IncomingMessageClass {
  function ExpressIncomingMessage(this: http.IncomingMessage, socket: unknown) {
    (http.IncomingMessage as unknown as (this: unknown, socket: unknown) => void).call(this, socket);
  }
  ExpressIncomingMessage.prototype = app.request;
  return ExpressIncomingMessage as unknown as IncomingMessageClass;
}

/** A constructor of Node's responses whose instances have Express's response prototype. */
export function responseClass(app: Express): ServerResponseClass {
  function ExpressServerResponse(this: http.ServerResponse, req: unknown, options: unknown) {
    (http.ServerResponse as unknown as (this: unknown, req: unknown, options: unknown) => void).call(this, req, options);
  }
  ExpressServerResponse.prototype = app.response;
  return ExpressServerResponse as unknown as ServerResponseClass;
}
