import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { NextFunction, Request, Response } from 'express';
import type { MixedList } from 'typeorm';
import { API_CLIENTS, ApiKeyGuard, ROLE_TABLE } from './auth';
import { BaseServiceConfig } from './config';
import { workContext } from './context';
import { dataSourceOptions } from './database';
import { ProblemDetailsFilter } from './errors';
import { EventCatalogueController } from './event-catalogue.controller';
import { HealthController, ReadinessProbes } from './health';
import { loggerParams } from './logging';
import { Metrics, MetricsController } from './metrics';
import { IdempotencyInterceptor, IdempotencyKeys1763800004000 } from './idempotency';
import { ApiKeyStore } from './api-keys';
import { EdgeThrottlerGuard, throttlerOptions } from './rate-limit';
import { SERVICE_CONFIG, SERVICE_NAME } from './tokens';
import { MediaTypeGuard } from './http-edge';

export { SERVICE_CONFIG, SERVICE_NAME } from './tokens';

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
  constructor(private readonly metrics: Metrics) {}

  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRoot(loggerParams(options.service, options.config.LOG_LEVEL)),
        TypeOrmModule.forRoot(dataSourceOptions(options.config, options.entities, withPlatformMigrations(options.migrations))),
        ThrottlerModule.forRoot(throttlerOptions(options.config)),
      ],
      controllers: [HealthController, MetricsController, EventCatalogueController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: options.config },
        { provide: options.config.constructor, useValue: options.config },
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: API_CLIENTS, useFactory: () => ApiKeyStore.fromConfig(options.config) },
        { provide: ROLE_TABLE, useValue: options.config.roleTable() },
        // Who calls comes first: a caller without a valid key learns nothing about the route (401 before 415).
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: MediaTypeGuard },
        { provide: APP_GUARD, useClass: EdgeThrottlerGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        ReadinessProbes,
        Metrics,
      ],
      exports: [SERVICE_CONFIG, SERVICE_NAME, ROLE_TABLE, options.config.constructor, ReadinessProbes, Metrics],
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
        const stop = duration.startTimer();
        response.on('finish', () => {
          // The route pattern (/tasks/:id), never the raw path: one series per route, not per id.
          const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
          const labels = { method: request.method, route: `${request.baseUrl ?? ''}${route}` };
          stop(labels);
          requests.inc({ ...labels, status: String(response.statusCode) });
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
