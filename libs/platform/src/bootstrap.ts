import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { API_KEY_HEADER } from './auth';
import { codeCacheState, loadingOnly } from './code-cache';
import { BaseServiceConfig, ConfigError } from './config';
import { dataSourceOptions } from './database';
import { requestValidationPipe } from './errors';
import { PrototypedExpressAdapter } from './express-prototypes';
import { installHttpEdge } from './http-edge';
import { completeOpenApiDocument } from './openapi';
import { SERVICE_CONFIG, withPlatformMigrations } from './platform.module';

export interface ServiceDescription {
  /** e.g. `approval` */
  name: string;
  title: string;
  description: string;
}

/** The path under which the gateway routes a service (deploy/gateway/backbone.conf). */
export function gatewayPrefix(service: ServiceDescription): string {
  return `/${service.name}`;
}

/** Builds the HTTP app of a service with the pieces every service shares. Does not listen yet. */
export async function createServiceApp(
  service: ServiceDescription,
  appModule: Type<unknown> | DynamicModule,
  options: { logs?: boolean } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(appModule, new PrototypedExpressAdapter(), {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  installHttpEdge(app, app.get<BaseServiceConfig>(SERVICE_CONFIG));
  if (options.logs !== false) app.useLogger(app.get(Logger));
  app.useGlobalPipes(requestValidationPipe());
  // No `app.enableShutdownHooks()`: a service process stops through `stopService` (runService installs it
  // for SIGTERM and SIGINT), which leaves the consumer group before Nest's own shutdown hooks run.
  // Built at the first request for it, not at boot: walking every route and validator costs ~0.1 s of
  // CPU that a restart after kill -9 should not spend before it serves (ADR 0016).
  const document = () =>
    completeOpenApiDocument(
      app,
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle(service.title)
          .setDescription(service.description)
          .setVersion('1')
          // Agencies call the services through the gateway (deploy/gateway): one host, one prefix per service.
          .addServer(gatewayPrefix(service), `through the gateway (port 8080): ${gatewayPrefix(service)}/…`)
          .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER }, API_KEY_HEADER)
          .addSecurityRequirements(API_KEY_HEADER)
          .build(),
      ),
    );
  // The request schemas come from the validators, every error status is declared with its problem schema.
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/** Runs the service's migrations (the schema is what they say). */
export async function runMigrations(app: INestApplication): Promise<void> {
  await app.get(DataSource).runMigrations({ transaction: 'each' });
}

/**
 * main() of a service: validated config first (a bad variable stops the boot with its name),
 * then migrations, then listen, and only then `startConsumers` in the background: REST is served
 * at once after a restart, while the consumer joins its group (which, after a kill -9, waits for the
 * dead member's session to expire). A consumer that cannot start at all stops the process.
 * SIGTERM and SIGINT stop the service with `stopService`: `stopConsumers` first (the consumer leaves
 * its group), then the app.
 */
export async function runService<C extends BaseServiceConfig>(
  service: ServiceDescription,
  loadServiceConfig: () => C,
  buildModule: (config: C) => Type<unknown> | DynamicModule,
  startConsumers?: (app: INestApplication, config: C) => Promise<void>,
  stopConsumers?: (app: INestApplication) => Promise<void>,
): Promise<INestApplication> {
  // Where a boot's time goes (a restart after kill -9 should serve within 3 s; ADR 0016): the modules
  // are loaded by the time main() runs, then the app is built, migrations checked, and it listens.
  const boot = stepClock(0, 0);
  // The build runs the bundle's module bodies to cache their compiled code (code-cache.ts): nothing is started.
  if (loadingOnly()) return new Promise<never>(() => undefined);
  const cache = codeCacheState();
  boot.lap(cache ? `modules loaded (bundle, code cache ${cache})` : 'modules loaded');
  let config: C;
  try {
    config = loadServiceConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${service.name}: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  // Read by V8 at each full collection, so it applies from here on (ADR 0024).
  if (config.HEAP_GROWING_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWING_PERCENT}`);
  const app = await createServiceApp(service, buildModule(config));
  boot.lap('app built');
  if (config.MIGRATIONS_RUN) await runMigrations(app);
  boot.lap('migrations checked');
  // One stop, whichever signal comes first (a second SIGTERM while it runs ends the process at once).
  let stopping: Promise<void> | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      stopping ??= stopService(service, app, signal, stopConsumers).then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`${service.name}: the stop failed: ${(error as Error).stack ?? String(error)}\n`);
          process.exit(1);
        },
      );
    });
  await app.listen(config.PORT, '0.0.0.0');
  boot.lap('listening');
  // Settled: a restarted sibling's boot comes first for the CPU from now on (ADR 0032).
  lowerPriority(config.NICE_ONCE_LISTENING);
  const logger = app.get(Logger);
  logger.log(`${service.name} listening on http://127.0.0.1:${config.PORT} (docs: /api/docs); boot: ${boot.summary()}`);
  if (startConsumers) {
    const started = Date.now();
    startConsumers(app, config).then(
      () =>
        logger.log(`${service.name}: consumer started ${Date.now() - started} ms after listening; it joins its group in the background`),
      (error: unknown) => {
        process.stderr.write(`${service.name}: the consumer failed to start: ${(error as Error).stack ?? String(error)}\n`);
        process.exit(1);
      },
    );
  }
  return app;
}

/**
 * A graceful stop (SIGTERM), in the order that hands the work over soonest (ADR 0014): the consumers
 * stop first (no more fetching, the chunk in flight abandoned and rolled back, LeaveGroup sent: the
 * other members take the partitions over now, and the uncommitted messages come to them again), then
 * the app closes (HTTP, the outbox relay, periodic jobs, the database pool). The log line says how
 * long each step took.
 */
/** A graceful stop taking this long or more is logged as a warning. */
export const SLOW_STOP_MS = 1000;

export async function stopService(
  service: ServiceDescription,
  app: INestApplication,
  signal: string,
  stopConsumers?: (app: INestApplication) => Promise<void>,
): Promise<void> {
  const clock = stepClock();
  const logger = app.get(Logger);
  logger.log(`${service.name}: ${signal} received, stopping`);
  if (stopConsumers) {
    await stopConsumers(app);
    clock.lap('consumer stopped and left its group');
  }
  await app.close();
  clock.lap('app closed');
  // A stop that took a second or more is a warning: the line says which step held it (and a service run
  // quietly, at LOG_LEVEL warn as the chaos run does, still records it).
  if (clock.wallMs() >= SLOW_STOP_MS) logger.warn(`${service.name} stopped slowly; stop: ${clock.summary()}`);
  else logger.log(`${service.name} stopped; stop: ${clock.summary()}`);
}

/**
 * Wall and CPU time of a sequence of steps, from `origin` (wall ms since the process started, CPU ms
 * used; by default now). The CPU is what the steps themselves cost; wall time adds the waiting for a core.
 */
function stepClock(
  originWall = Math.round(process.uptime() * 1000),
  originCpu = cpuMs(),
): { lap: (step: string) => void; summary: () => string; wallMs: () => number } {
  const laps: string[] = [];
  let last = { wall: originWall, cpu: originCpu };
  const lap = (step: string) => {
    const now = { wall: Math.round(process.uptime() * 1000), cpu: cpuMs() };
    laps.push(`${step} +${now.wall - last.wall} ms (${now.cpu - last.cpu} ms CPU)`);
    last = now;
  };
  return {
    lap,
    summary: () =>
      originWall === 0
        ? `${laps.join(', ')}; ${last.wall} ms since the process started, ${last.cpu} ms of CPU`
        : `${laps.join(', ')}; ${last.wall - originWall} ms in all, ${last.cpu - originCpu} ms of CPU`,
    wallMs: () => last.wall - originWall,
  };
}

/**
 * Sets every thread of this process (the JS thread, libuv's pool, V8's helpers) to `nice` on Linux, where
 * nice values are per thread; elsewhere the process's. Only lowers: a value at or below the current one
 * (or one the OS refuses) leaves it as it is.
 */
export function lowerPriority(nice: number): void {
  if (nice <= 0) return;
  let threads: number[] = [0];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    // not Linux: setPriority(0) is the process
  }
  for (const thread of threads) {
    try {
      if (getPriority(thread) < nice) setPriority(thread, nice);
    } catch {
      // the thread ended meanwhile, or the OS refused: the priority stays
    }
  }
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return Math.round((usage.user + usage.system) / 1000);
}

/** migrate.ts of a service: applies pending migrations and exits (for a separate migration job). */
export async function runMigrationsOnly<C extends BaseServiceConfig>(
  service: ServiceDescription,
  loadServiceConfig: () => C,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[],
): Promise<void> {
  try {
    const dataSource = new DataSource(dataSourceOptions(loadServiceConfig(), [], withPlatformMigrations(migrations)));
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(`${service.name}: ${applied.length} migration(s) applied${applied.map((m) => `\n  - ${m.name}`).join('')}\n`);
    await dataSource.destroy();
    process.exit(0);
  } catch (error) {
    process.stderr.write(`${service.name}: migration failed: ${error instanceof ConfigError ? error.message : (error as Error).stack}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  }
}
