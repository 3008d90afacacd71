import type { ExecutionContext } from '@nestjs/common';

/**
 * What a guard reads from a route's decorators, read once per route: the decorators have all run when a
 * request arrives, and reading them per request (Reflector lookups on the handler and its class) was a
 * visible share of a POST's CPU (ADR 0029).
 */
export class RouteMemo<T> {
  private readonly byClass = new WeakMap<object, WeakMap<object, T>>();

  constructor(private readonly read: (handler: object, controller: object) => T) {}

  of(context: ExecutionContext): T {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.byClass.get(controller);
    if (byHandler === undefined) this.byClass.set(controller, (byHandler = new WeakMap()));
    let value = byHandler.get(handler);
    if (value === undefined) byHandler.set(handler, (value = this.read(handler, controller)));
    return value;
  }
}
