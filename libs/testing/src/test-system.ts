import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { connectTestDatabase, createTestDatabase, dropTestDatabase } from './database';
import { freePort } from './free-port';
import { deleteKafkaNamespace, restCall } from './in-process-service';
import { resolveInfra, serviceConnectionEnv, TestInfra } from './infra';
import { SERVICE_NAMES, ServiceName, ServiceProcess } from './service-process';

/** API clients every test system registers: department → key. */
export const TEST_CLIENTS = {
  '320700-APPROVAL': 'test-key-approval-bureau-320700',
  '320700-SAMR': 'test-key-market-regulator-320700',
  '320700-HEALTH': 'test-key-health-commission-32070',
  /** The legal-review department (法制审核机构) of the enforcement service's default configuration. */
  '320700-LEGAL': 'test-key-legal-affairs-office-3207',
  'CREDIT-AUTHORITY': 'test-key-credit-authority-000001',
  '320700-HOUSING': 'test-key-housing-construction-3207',
  'PLATFORM-OPS': 'test-key-platform-operations-001',
  /** The drug administration and the 12345 hotline: senders at the integration service's CloudEvents intake. */
  '320700-MPA': 'test-key-drug-administration-320700',
  '320700-HOTLINE': 'test-key-hotline-12345-320700',
} as const;
export type TestDepartment = keyof typeof TEST_CLIENTS;

/**
 * The real system for an end-to-end test: the chosen services as separate processes, each with its
 * own fresh test database, on a Kafka namespace of their own, against the infrastructure the seam gives.
 */
export class TestSystem {
  readonly services = new Map<ServiceName, ServiceProcess>();
  /** Further instances started with startReplica() (stopped by stop()). */
  readonly replicas: ServiceProcess[] = [];
  readonly databases = new Map<ServiceName, string>();
  private readonly clients: Client[] = [];

  private constructor(
    readonly infra: TestInfra,
    readonly namespace: string,
  ) {}

  /**
   * `logDir`: where the processes' logs go (default: ServiceProcess's, the shared .stack/logs/tests);
   * `ownSessions`: each process in a session of its own, as `npm start` runs them (ServiceProcess, ADR 0130).
   */
  static async start(
    names: readonly ServiceName[] = SERVICE_NAMES,
    extraEnv: Partial<Record<ServiceName, Record<string, string>>> = {},
    { logDir, ownSessions = false }: { logDir?: string; ownSessions?: boolean } = {},
  ): Promise<TestSystem> {
    const infra = await resolveInfra();
    const system = new TestSystem(infra, `t${randomBytes(4).toString('hex')}`);
    const apiKeys = Object.entries(TEST_CLIENTS)
      .map(([department, key]) => `${key}=${department}`)
      .join(',');
    const ports = new Map<ServiceName, number>();
    for (const name of names) ports.set(name, await freePort());
    // The console reaches the others over HTTP (health, metrics, dead letters, claims).
    const serviceUrls = [...ports]
      .filter(([name]) => name !== 'console')
      .map(([name, port]) => `${name}=http://127.0.0.1:${port}`)
      .join(',');
    for (const name of names) {
      const database = await createTestDatabase(infra, name);
      system.databases.set(name, database);
      system.services.set(
        name,
        new ServiceProcess(
          name,
          ports.get(name) as number,
          {
            ...serviceConnectionEnv(infra, database, system.namespace),
            API_KEYS: apiKeys,
            LOG_LEVEL: 'info',
            CONSUMER_BACKOFF_MS: '50',
            RATE_LIMIT_PER_MINUTE: '1000000',
            ...(name === 'console' && serviceUrls ? { SERVICE_URLS: serviceUrls } : {}),
            // Webhook receivers in tests listen on this machine (WEBHOOK_ALLOWED_HOSTS: none by default).
            ...(name === 'integration' ? { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } : {}),
            // Supervision's reconciliation reads the approval service's ledger (ADR 0075) as an operator.
            ...(name === 'supervision' && ports.has('approval')
              ? { APPROVAL_URL: `http://127.0.0.1:${ports.get('approval')}`, APPROVAL_API_KEY: TEST_CLIENTS['PLATFORM-OPS'] }
              : {}),
            ...extraEnv[name],
          },
          logDir,
          ownSessions,
        ),
      );
    }
    try {
      await Promise.all([...system.services.values()].map((service) => service.start()));
    } catch (error) {
      await system.stop().catch(() => undefined); // leave no process or database behind
      throw error;
    }
    return system;
  }

  service(name: ServiceName): ServiceProcess {
    const service = this.services.get(name);
    if (!service) throw new Error(`${name} is not part of this test system`);
    return service;
  }

  /** Starts another instance of a service: it joins the same consumer group and competes for the relay lock. */
  async startReplica(
    name: ServiceName,
    { env, until }: { env?: Record<string, string>; until?: 'ready' | 'live' } = {},
  ): Promise<ServiceProcess> {
    const replica = this.service(name).replica(await freePort(), String(this.replicas.length + 2), env);
    this.replicas.push(replica);
    await replica.start({ until });
    return replica;
  }

  /** A REST call to a service on behalf of a department. */
  async call<T = any>(
    name: ServiceName,
    department: TestDepartment,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    return restCall<T>(this.service(name).url, TEST_CLIENTS[department], method, path, body);
  }

  /** A SQL client on a service's test database, for assertions (closed by stop()). */
  async sql(name: ServiceName): Promise<Client> {
    const client = await connectTestDatabase(this.infra, this.databases.get(name) ?? '');
    this.clients.push(client);
    return client;
  }

  kafka(): Kafka {
    return new Kafka({ clientId: `test-${this.namespace}`, brokers: this.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  }

  topic(name: string): string {
    return `${this.namespace}.${name}`;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.services.values(), ...this.replicas].map((service) => service.stop()));
    await Promise.all(this.clients.map((client) => client.end().catch(() => undefined)));
    for (const database of this.databases.values()) await dropTestDatabase(this.infra, database);
    await deleteKafkaNamespace(this.kafka(), this.namespace);
    await this.infra.stop?.();
  }
}
