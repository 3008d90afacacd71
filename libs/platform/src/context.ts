import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line and every emitted event should know about the work in progress. */
export interface WorkContext {
  correlationId?: string;
  /** The event being handled: the cause of any event emitted meanwhile. */
  eventId?: string;
}

const storage = new AsyncLocalStorage<WorkContext>();

export const workContext = {
  run<T>(context: WorkContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): WorkContext {
    return storage.getStore() ?? {};
  },
};
