import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { Client } from 'pg';
import { createEnvelope, EventClass } from '@backbone/contracts';
import { InboxTransport } from '@backbone/messaging';
import { createServiceApp, runMigrations } from '@backbone/platform';
import { loadEnforcementConfig } from '../src/enforcement.config';
import { ENFORCEMENT_SERVICE, EnforcementModule } from '../src/enforcement.module';

/** API clients of the enforcement test app: department → key. */
export const KEYS = {
  '320700-SAMR': 'it-key-market-regulator-0001',
  '320700-HEALTH': 'it-key-health-commission-001',
  '320700-LEGAL': 'it-key-legal-affairs-office-1',
} as const;
export type Department = keyof typeof KEYS;

/** Where the test's Kafka and PostgreSQL are (the testing lib's seam resolves it in the spec). */
export interface Infra {
  kafkaBrokers: string;
  database: { host: string; port: number; user: string; password: string };
}

/**
 * The enforcement service in process, on a fresh test database and a Kafka namespace of its own,
 * with the real migrations, HTTP edge and inbox transport.
 */
export class EnforcementTestApp {
  private producer?: Producer;
  private readonly clients: Client[] = [];

  private constructor(
    readonly app: INestApplication,
    readonly url: string,
    readonly infra: Infra,
    readonly database: string,
    readonly namespace: string,
  ) {}

  /** Starts on `database`, a fresh test database the spec created (and drops after stop()). */
  static async start(infra: Infra, database: string): Promise<EnforcementTestApp> {
    const namespace = `t${randomBytes(4).toString('hex')}`;
    const config = loadEnforcementConfig({
      PORT: '1',
      DATABASE_HOST: infra.database.host,
      DATABASE_PORT: String(infra.database.port),
      DATABASE_USER: infra.database.user,
      DATABASE_PASSWORD: infra.database.password,
      DATABASE_NAME: database,
      KAFKA_BROKERS: infra.kafkaBrokers,
      KAFKA_NAMESPACE: namespace,
      API_KEYS: Object.entries(KEYS).map(([department, key]) => `${key}=${department}`).join(','),
      LEGAL_REVIEW_DEPARTMENTS: '320700-LEGAL',
      CONSUMER_BACKOFF_MS: '50',
      LOG_LEVEL: 'warn',
    });
    const app = await createServiceApp(ENFORCEMENT_SERVICE, EnforcementModule.forRoot(config), { logs: false });
    app.useLogger(['error']);
    await runMigrations(app);
    app.connectMicroservice({ strategy: app.get(InboxTransport) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    return new EnforcementTestApp(app, (await app.getUrl()).replace('[::1]', '127.0.0.1'), infra, database, namespace);
  }

  async call<T = any>(department: Department | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(department ? { 'x-api-key': KEYS[department] } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** A SQL client on the service's database, connected as the test role (a superuser: the "attacker"). */
  async sql(): Promise<Client> {
    const client = new Client({ ...this.infra.database, database: this.database });
    await client.connect();
    this.clients.push(client);
    return client;
  }

  kafka(): Kafka {
    return new Kafka({ clientId: `it-${this.namespace}`, brokers: this.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  }

  /** Publishes an event as another service would. */
  async publish<T extends object>(eventClass: EventClass<T>, data: T, subject: string, correlationId: string): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka().producer();
      await this.producer.connect();
    }
    const envelope = createEnvelope(eventClass, { source: '/tests', subject, data, correlationId });
    await this.producer.send({ topic: `${this.namespace}.${eventClass.topic}`, messages: [{ key: subject, value: JSON.stringify(envelope) }] });
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    await Promise.all(this.clients.map((client) => client.end().catch(() => undefined)));
    await this.app.close();
    const admin = this.kafka().admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${this.namespace}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((id) => id.startsWith(`${this.namespace}.`));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Walks a case by hand through investigation, evidence, legal review and a major decision; returns its id. */
export async function decidedCase(system: EnforcementTestApp, uscc: string, decisionNumber: string): Promise<string> {
  const ok = (response: { status: number; body: any }, status: number) => {
    if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const opened = ok(await system.call('320700-SAMR', 'POST', '/cases', { uscc, violationCodes: ['FOOD-HYGIENE-01'], openedBy: '王芳', reason: '日常检查发现' }), 201);
  const id: string = opened.id;
  ok(await system.call('320700-SAMR', 'POST', `/cases/${id}/investigation`, { investigator: '李强' }), 200);
  ok(await system.call('320700-SAMR', 'POST', `/cases/${id}/evidence`, { collectedBy: '李强', description: '后厨现场照片 12 张', reference: 'EV-1' }), 201);
  ok(await system.call('320700-SAMR', 'POST', `/cases/${id}/evidence`, { collectedBy: '赵六', description: '询问笔录', reference: 'EV-2' }), 201);
  const penalties = [{ kind: 'fine', amount: 30000 }];
  ok(await system.call('320700-SAMR', 'POST', `/cases/${id}/legal-review-request`, { requestedBy: '李强', action: 'decide', severity: 'serious', penalties, reason: '拟处罚款' }), 201);
  ok(await system.call('320700-LEGAL', 'POST', `/cases/${id}/legal-review`, { reviewer: '陈静', outcome: 'approved', opinion: '事实清楚，证据确凿' }), 200);
  ok(await system.call('320700-SAMR', 'POST', `/cases/${id}/decision`, { decisionNumber, severity: 'serious', penalties }), 201);
  ok(await system.call('320700-SAMR', 'POST', `/cases/${id}/service`, { servedBy: '李强', method: 'direct' }), 200);
  return id;
}
