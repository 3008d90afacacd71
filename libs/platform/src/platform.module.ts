import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { MixedList } from 'typeorm';
import { API_CLIENTS, ApiKeyGuard, ROLE_TABLE } from './auth';
import { BaseServiceConfig } from './config';
import { dataSourceOptions } from './database';
import { ProblemDetailsFilter } from './errors';
import { EventCatalogueController } from './event-catalogue.controller';
import { HealthController, ReadinessProbes } from './health';
import { createServiceLogger, loggerParams } from './logging';
import { Metrics, MetricsController } from './metrics';
import { IdempotencyGuard, IdempotencyKeys1763800004000 } from './idempotency';
import { ApiKeyStore } from './api-keys';
import { AuthFailures, EdgeThrottlerGuard, throttlerOptions } from './rate-limit';
import { RequestTelemetry } from './request-telemetry';
import { DirectRoutes } from './direct-route';
import { SERVICE_CONFIG, SERVICE_LOGGER, SERVICE_NAME } from './tokens';
import { MediaTypeGuard } from './http-edge';

export { SERVICE_CONFIG, SERVICE_LOGGER, SERVICE_NAME } from './tokens';

export interface PlatformOptions {
  service: string;
  config: BaseServiceConfig;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/**
 * What every service has: validated config, JSON logs with correlation ids, its own database,
 * API-key authentication, problem-details errors, /health and /metrics.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const logger = createServiceLogger(options.service, options.config.LOG_LEVEL);
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRoot(loggerParams(logger)),
        TypeOrmModule.forRoot(dataSourceOptions(options.config, options.entities, withPlatformMigrations(options.migrations))),
        ThrottlerModule.forRoot(throttlerOptions(options.config)),
      ],
      controllers: [HealthController, MetricsController, EventCatalogueController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: options.config },
        { provide: options.config.constructor, useValue: options.config },
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: SERVICE_LOGGER, useValue: logger },
        { provide: API_CLIENTS, useFactory: () => ApiKeyStore.fromConfig(options.config) },
        { provide: ROLE_TABLE, useValue: options.config.roleTable() },
        // Who calls comes first: a caller without a valid key learns nothing about the route (401 before 415).
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: MediaTypeGuard },
        { provide: APP_GUARD, useClass: EdgeThrottlerGuard },
        // Last: a request refused above claims no key. Not an interceptor: see IdempotencyGuard.
        { provide: APP_GUARD, useClass: IdempotencyGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        ReadinessProbes,
        Metrics,
        RequestTelemetry,
        AuthFailures,
        DirectRoutes,
      ],
      exports: [
        SERVICE_CONFIG,
        SERVICE_NAME,
        SERVICE_LOGGER,
        ROLE_TABLE,
        options.config.constructor,
        ReadinessProbes,
        Metrics,
        DirectRoutes,
      ],
    };
  }
}

/** The platform's own tables (Idempotency-Keys) join every service's migrations. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function withPlatformMigrations(migrations: MixedList<Function | string>): MixedList<Function | string> {
  const list = Array.isArray(migrations) ? migrations : Object.values(migrations);
  return list.includes(IdempotencyKeys1763800004000) ? list : [...list, IdempotencyKeys1763800004000];
}
