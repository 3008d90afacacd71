import { Catch, DynamicModule, INestApplication, RpcExceptionFilter, Type } from '@nestjs/common';
import { NestMicroservice } from '@nestjs/microservices';
import type { Observable } from 'rxjs';
import { BaseServiceConfig, runService, ServiceDescription } from '@backbone/platform';
import { InboxTransport } from './inbox.transport';
import { OutboxRelay } from './outbox-relay';

/** main() of every service: config, migrations, HTTP, then the inbox transport; on SIGTERM the inbox stops first. */
export function startService<C extends BaseServiceConfig>(
  service: ServiceDescription,
  loadServiceConfig: () => C,
  buildModule: (config: C) => Type<unknown> | DynamicModule,
): Promise<INestApplication> {
  return runService(service, loadServiceConfig, buildModule, startInbox, stopInbox).catch((error: unknown) => {
    process.stderr.write(`${service.name} failed to start: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}

/**
 * Starts the outbox relay, connects the inbox transport and starts consuming (runService calls it once
 * the service listens). The HTTP app's global pipes are not inherited: the transport validates every
 * event against its contract class before any handler runs.
 */
export async function startInbox(app: INestApplication): Promise<void> {
  app.get(OutboxRelay).start();
  // Deferred, so that the filter is in place before the handlers are wired; then wired as Nest does.
  const inbox = app.connectMicroservice({ strategy: app.get(InboxTransport) }, { deferInitialization: true }) as NestMicroservice;
  inbox.useGlobalFilters(new HandlerErrorsToTransport());
  inbox.registerListeners();
  inbox.setIsInitialized(true);
  inbox.setIsInitHookCalled(true);
  await app.startAllMicroservices();
}

/**
 * The first step of a graceful stop (ADR 0014): no more fetching, the chunk in flight abandoned (its
 * transaction rolled back, its offsets not committed), and LeaveGroup sent, so that the other members
 * take the partitions over at once, before the rest of the app (HTTP, relay, jobs, database) closes.
 */
export async function stopInbox(app: INestApplication): Promise<void> {
  await app.get(InboxTransport).close();
}

/**
 * Nest's default RPC filter turns every handler error into a generic "Internal server error". The
 * transport needs the error itself to tell a broken rule (dead-letter at once) from a transient fault
 * (retry), so this filter hands it back unchanged.
 */
@Catch()
class HandlerErrorsToTransport implements RpcExceptionFilter {
  catch(error: unknown): Observable<never> {
    throw error;
  }
}
