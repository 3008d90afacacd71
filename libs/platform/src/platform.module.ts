import { DynamicModule, Global, Inject, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { NextFunction, Request, Response } from 'express';
import type { Logger as PinoLogger } from 'pino';
import type { MixedList } from 'typeorm';
import { API_CLIENTS, ApiKeyGuard, ROLE_TABLE } from './auth';
import { BaseServiceConfig } from './config';
import { workContext } from './context';
import { dataSourceOptions } from './database';
import { ProblemDetailsFilter } from './errors';
import { EventCatalogueController } from './event-catalogue.controller';
import { HealthController, ReadinessProbes } from './health';
import { createServiceLogger, loggerParams, logRequest } from './logging';
import { Metrics, MetricsController } from './metrics';
import { IdempotencyGuard, IdempotencyKeys1763800004000 } from './idempotency';
import { ApiKeyStore } from './api-keys';
import { EdgeThrottlerGuard, throttlerOptions } from './rate-limit';
import { SERVICE_CONFIG, SERVICE_NAME } from './tokens';
import { MediaTypeGuard } from './http-edge';

export { SERVICE_CONFIG, SERVICE_NAME } from './tokens';

/** The service's pino logger (the one nestjs-pino's Logger writes to): the request lines go to it too. */
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');

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
export class PlatformModule implements NestModule {
  constructor(
    private readonly metrics: Metrics,
    @Inject(SERVICE_LOGGER) private readonly logger: PinoLogger,
  ) {}

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
      ],
      exports: [SERVICE_CONFIG, SERVICE_NAME, SERVICE_LOGGER, ROLE_TABLE, options.config.constructor, ReadinessProbes, Metrics],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    const requests = this.metrics.counter('http_requests_total', 'HTTP requests by method, route and status', [
      'method',
      'route',
      'status',
    ]);
    const duration = this.metrics.histogram(
      'http_request_duration_seconds',
      'HTTP request latency by method and route',
      ['method', 'route'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    );
    consumer
      .apply((request: Request & { id?: string }, response: Response, next: NextFunction) => {
        const startedAt = process.hrtime.bigint();
        // One listener: the request's metrics and its log line (logging.ts).
        response.once('finish', () => {
          // The route pattern (/tasks/:id), never the raw path: one series per route, not per id.
          const pattern = (request.route as { path?: string } | undefined)?.path;
          const route = pattern === undefined ? 'unmatched' : `${request.baseUrl ?? ''}${pattern}`;
          const labels = { method: request.method, route };
          duration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
          requests.inc({ ...labels, status: String(response.statusCode) });
          logRequest(this.logger, request, response, route, startedAt);
        });
        workContext.run({ correlationId: request.id }, next);
      })
      .forRoutes('*path');
  }
}

/** The platform's own tables (Idempotency-Keys) join every service's migrations. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function withPlatformMigrations(migrations: MixedList<Function | string>): MixedList<Function | string> {
  const list = Array.isArray(migrations) ? migrations : Object.values(migrations);
  return list.includes(IdempotencyKeys1763800004000) ? list : [...list, IdempotencyKeys1763800004000];
}
