import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { BaseServiceConfig, runService, ServiceDescription } from '@backbone/platform';
import { InboxTransport } from './inbox.transport';

/** main() of every service: config, migrations, the inbox transport, then HTTP. */
export function startService<C extends BaseServiceConfig>(
  service: ServiceDescription,
  loadServiceConfig: () => C,
  buildModule: (config: C) => Type<unknown> | DynamicModule,
): Promise<INestApplication> {
  return runService(service, loadServiceConfig, buildModule, async (app) => {
    app.connectMicroservice({ strategy: app.get(InboxTransport) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }).catch((error: unknown) => {
    process.stderr.write(`${service.name} failed to start: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
