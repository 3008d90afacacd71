import * as http from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';

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
    this.httpServer = http.createServer(
      { IncomingMessage: bornWith(http.IncomingMessage, app.request), ServerResponse: bornWith(http.ServerResponse, app.response) },
      app,
    );
  }
}

/**
 * A constructor that builds what Node's `constructor` builds (it runs it on the new object), with
 * `prototype` as the prototype of its instances. Node's IncomingMessage and ServerResponse are plain
 * functions that may be called on any object, and take at most two arguments.
 */
function bornWith<T>(constructor: T, prototype: object): T {
  const build = constructor as unknown as (this: unknown, first: unknown, second: unknown) => void;
  function Born(this: unknown, first: unknown, second: unknown) {
    build.call(this, first, second);
  }
  Born.prototype = prototype;
  return Born as unknown as T;
}
