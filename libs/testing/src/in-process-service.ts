import { randomBytes, randomUUID } from 'node:crypto';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createEnvelope, Envelope, EventClass } from '@backbone/contracts';
import { startInbox } from '@backbone/messaging';
import { createServiceApp, runMigrations, ServiceDescription } from '@backbone/platform';
import { connectTestDatabase, createTestDatabase, dropTestDatabase } from './database';
import { resolveInfra, serviceConnectionEnv, TestInfra } from './infra';

export interface InProcessOptions<C> {
  service: ServiceDescription;
  /** The service's own config loader, given the test environment. */
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  module: (config: C) => DynamicModule;
  /** API clients: department → key. */
  clients: Record<string, string>;
  /** More environment for the service (its own variables, tuning). */
  env?: Record<string, string>;
}

/** Where an instance runs: its own database and namespace, or those of the instance it is a replica of. */
interface Placement {
  database: string;
  namespace: string;
  /** The instance created them (stop() deletes them); a replica leaves them to it. */
  owned: boolean;
}

/** A REST call with an API key (or none); the body parsed when there is one. */
export async function restCall<T = any>(
  url: string,
  key: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Removes a namespace's topics and consumer groups from the cluster. */
export async function deleteKafkaNamespace(kafka: Kafka, namespace: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${namespace}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((id) => id.startsWith(`${namespace}.`));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

/**
 * One service inside the test process, as it runs in production (real migrations, HTTP edge, inbox
 * transport), on a fresh test database and a Kafka namespace of its own. For integration specs that
 * drive one service with events and REST; TestSystem runs services as separate processes.
 */
export class InProcessService {
  private producer?: Producer;
  private readonly clients: Client[] = [];
  private closing?: Promise<void>;

  private constructor(
    readonly app: INestApplication,
    readonly url: string,
    readonly infra: TestInfra,
    readonly database: string,
    readonly namespace: string,
    private readonly keys: Record<string, string>,
    private readonly options: InProcessOptions<any>,
    private readonly owned: boolean,
  ) {}

  static async start<C>(options: InProcessOptions<C>): Promise<InProcessService> {
    const infra = await resolveInfra();
    const database = await createTestDatabase(infra, options.service.name);
    return InProcessService.startOn(infra, options, { database, namespace: `t${randomBytes(4).toString('hex')}`, owned: true });
  }

  /**
   * Another instance of this service in the same process, on the same database and namespace (one
   * consumer group, one relay lock): its stop() closes only its app.
   */
  startReplica(env: Record<string, string> = {}): Promise<InProcessService> {
    const options = { ...this.options, env: { ...this.options.env, ...env } };
    return InProcessService.startOn(this.infra, options, { database: this.database, namespace: this.namespace, owned: false });
  }

  private static async startOn<C>(infra: TestInfra, options: InProcessOptions<C>, { database, namespace, owned }: Placement) {
    try {
      const config = options.loadConfig({
        PORT: '1',
        ...serviceConnectionEnv(infra, database, namespace),
        API_KEYS: Object.entries(options.clients)
          .map(([department, key]) => `${key}=${department}`)
          .join(','),
        CONSUMER_BACKOFF_MS: '20',
        RATE_LIMIT_PER_MINUTE: '1000000',
        // In-process services write to the test run's own output: refused requests (4xx, warnings) are
        // what these specs send on purpose, so only errors are shown unless TEST_LOG_LEVEL asks for more.
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
        ...options.env,
      });
      const app = await createServiceApp(options.service, options.module(config), { logs: false });
      app.useLogger(['error']);
      await runMigrations(app);
      await startInbox(app);
      await app.listen(0, '127.0.0.1');
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      return new InProcessService(app, url, infra, database, namespace, options.clients, options, owned);
    } catch (error) {
      if (owned) await dropTestDatabase(infra, database).catch(() => undefined);
      throw error;
    }
  }

  get dataSource(): DataSource {
    return this.app.get(DataSource);
  }

  /** A REST call on behalf of a department (null: no API key). */
  async call<T = any>(department: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const key = department === null ? undefined : this.keys[department];
    if (department !== null && !key) throw new Error(`no test client for department ${department}`);
    return restCall<T>(this.url, key, method, path, body);
  }

  /** A SQL client on the service's database as the test role (a superuser: it can play the attacker). */
  async sql(): Promise<Client> {
    const client = await connectTestDatabase(this.infra, this.database);
    this.clients.push(client);
    return client;
  }

  kafka(): Kafka {
    return new Kafka({ clientId: `it-${this.namespace}`, brokers: this.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  }

  topic(name: string): string {
    return `${this.namespace}.${name}`;
  }

  /** Publishes an event as another service would: its envelope on its topic, keyed by the subject (USCC). */
  async publish<T extends object>(
    eventClass: EventClass<T>,
    data: T,
    subject: string,
    correlationId: string = randomUUID(),
  ): Promise<Envelope<T>> {
    if (!this.producer) {
      this.producer = this.kafka().producer();
      await this.producer.connect();
    }
    const envelope = createEnvelope(eventClass, { source: '/tests', subject, data, correlationId });
    await this.producer.send({ topic: this.topic(eventClass.topic), messages: [{ key: subject, value: JSON.stringify(envelope) }] });
    return envelope;
  }

  /** Closes the app only (as a graceful stop does), once; stop() also deletes what this instance created. */
  close(): Promise<void> {
    this.closing ??= this.app.close();
    return this.closing;
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    await Promise.all(this.clients.map((client) => client.end().catch(() => undefined)));
    await this.close();
    if (!this.owned) return;
    await deleteKafkaNamespace(this.kafka(), this.namespace);
    await dropTestDatabase(this.infra, this.database);
  }
}
