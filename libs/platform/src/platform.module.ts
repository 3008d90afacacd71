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
    consumer
      .apply((request: Request & { id?: string }, _response: Response, next: NextFunction) =>
        workContext.run({ correlationId: request.id }, next),
      )
      .forRoutes('*path');
  }
}
