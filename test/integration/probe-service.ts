import { DynamicModule, Module, Type } from '@nestjs/common';
import { BaseServiceConfig, loadConfig, PlatformModule } from '@backbone/platform';
import { InProcessService } from '@backbone/testing';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS, MessagingModule } from '@backbone/messaging';

class ProbeConfig extends BaseServiceConfig {}

/** A service made of the messaging lib alone (outbox, relay, inbox, dead letters) and the given handlers. */
@Module({})
class ProbeModule {
  static forRoot(config: ProbeConfig, controllers: Type[]): DynamicModule {
    return {
      module: ProbeModule,
      imports: [
        PlatformModule.forRoot({ service: 'probe', config, entities: MESSAGING_ENTITIES, migrations: MESSAGING_MIGRATIONS }),
        MessagingModule,
      ],
      controllers,
    };
  }
}

/** The API key of the probe's operator department (PLATFORM-OPS). */
export const PROBE_OPERATOR_KEY = 'probe-operator-key-0001';

/**
 * Starts the probe service in this process on real Kafka and PostgreSQL (its own database and Kafka
 * namespace), for the messaging lib's integration specs: `description` says what the probe is for,
 * `controllers` are its handlers, `env` its settings.
 */
export function startProbeService(description: string, options: { controllers?: Type[]; env?: Record<string, string> } = {}) {
  return InProcessService.start({
    service: { name: 'probe', title: 'Probe', description },
    loadConfig: (env) => loadConfig(ProbeConfig, env),
    module: (config) => ProbeModule.forRoot(config, options.controllers ?? []),
    clients: { 'PLATFORM-OPS': PROBE_OPERATOR_KEY },
    env: options.env,
  });
}
