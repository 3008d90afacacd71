import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { NextFunction, Request, Response } from 'express';
import type { MixedList } from 'typeorm';
import { API_CLIENTS, ApiKeyGuard } from './auth';
import { BaseServiceConfig, parseApiKeys } from './config';
import { workContext } from './context';
import { dataSourceOptions } from './database';
import { ProblemDetailsFilter } from './errors';
import { EventCatalogueController } from './event-catalogue.controller';
import { HealthController, ReadinessProbes } from './health';
import { loggerParams } from './logging';
import { Metrics, MetricsController } from './metrics';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

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
        TypeOrmModule.forRoot(dataSourceOptions(options.config, options.entities, options.migrations)),
      ],
      controllers: [HealthController, MetricsController, EventCatalogueController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: options.config },
        { provide: options.config.constructor, useValue: options.config },
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: API_CLIENTS, useValue: parseApiKeys(options.config.API_KEYS) },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        ReadinessProbes,
        Metrics,
      ],
      exports: [SERVICE_CONFIG, SERVICE_NAME, options.config.constructor, ReadinessProbes, Metrics],
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
