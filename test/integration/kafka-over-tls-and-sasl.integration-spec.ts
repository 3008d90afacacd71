import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ApprovalDecidedV1 } from '@backbone/contracts';
import { KafkaClient, kafkaSecurityOptions, Outbox } from '@backbone/messaging';
import { BaseServiceConfig, loadConfig, ReadinessProbes } from '@backbone/platform';
import { decidedApprovalEvent, resolveInfra, SecuredKafka, securedKafka, waitFor } from '@backbone/testing';
import { startProbeService } from './probe-service';

/**
 * A cluster that asks for TLS and SASL (ADR 0102): the services' Kafka client, configured only through
 * KAFKA_SSL, KAFKA_SSL_CA_FILE and KAFKA_SASL_*, produces and consumes through the secured listener
 * (SASL_SSL, SCRAM-SHA-512) of the real broker, verifying its certificate against the CA file, and a
 * whole service runs on it; a wrong password fails at once with an authentication error, and a CA that
 * did not sign the broker's certificate is refused. The local stack's listener: deploy/local/stack.sh; testcontainers':
 * libs/testing/src/infra.ts.
 */
describe('Kafka over TLS and SASL', () => {
  let secured: SecuredKafka;
  const dir = mkdtempSync(join(tmpdir(), 'kafka-over-tls-and-sasl-'));
  const namespace = `t${randomBytes(4).toString('hex')}`;
  const clients: KafkaClient[] = [];

  /** A service's configuration, as loadConfig reads it from the environment (files checked). */
  const settings = (kafka: Record<string, string>) =>
    loadConfig(BaseServiceConfig, {
      PORT: '3999',
      DATABASE_USER: 'backbone',
      DATABASE_PASSWORD: 'unused',
      DATABASE_NAME: 'unused',
      API_KEYS: 'a-key-of-sixteen-chars=PLATFORM-OPS',
      KAFKA_NAMESPACE: namespace,
      KAFKA_BROKERS: secured.brokers,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: secured.caFile,
      KAFKA_SASL_MECHANISM: secured.mechanism,
      KAFKA_SASL_USERNAME: secured.username,
      ...kafka,
    });
  const clientOf = (config: BaseServiceConfig) => {
    const client = new KafkaClient(config, 'kafka-security', { register: () => undefined } as unknown as ReadinessProbes);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    secured = securedKafka(await resolveInfra());
  });

  afterAll(async () => {
    const admin = await clients[0]?.admin().catch(() => undefined);
    await admin?.deleteTopics({ topics: [`${namespace}.secured`] }).catch(() => undefined);
    await Promise.allSettled(clients.map((client) => client.onApplicationShutdown()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("produces and consumes through the SASL_SSL listener, the broker's certificate verified against the CA file", async () => {
    // The password from a file, as a mounted Secret gives it (with its trailing line break).
    writeFileSync(join(dir, 'password'), `${secured.password}\n`);
    const client = clientOf(settings({ KAFKA_SASL_PASSWORD_FILE: join(dir, 'password') }));
    const admin = await client.admin();
    const cluster = await admin.describeCluster();
    // The broker answers with its secured listener's address: everything below went through it.
    expect(cluster.brokers.map((broker) => `${broker.host}:${broker.port}`)).toContain(secured.brokers);

    const topic = client.physical('secured');
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: -1 }] });
    const producer = await client.producer();
    await producer.send({ topic, messages: [{ key: '91320700MA1MXXK01L', value: 'over TLS and SCRAM-SHA-512' }] });

    const consumer = client.kafka.consumer({ groupId: client.consumerGroup, sessionTimeout: 6000 });
    const received: Array<{ key?: string; value?: string }> = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: message.key?.toString(), value: message.value?.toString() });
        },
      });
      await waitFor('the message back from the secured listener', () => received.length > 0);
    } finally {
      await consumer.disconnect();
    }
    expect(received).toEqual([{ key: '91320700MA1MXXK01L', value: 'over TLS and SCRAM-SHA-512' }]);
  });

  it('runs a service on the secured listener alone: its topics created, /health ready, its relay publishing', async () => {
    const service = await startProbeService('a service whose only way to Kafka is the secured listener', {
      env: {
        KAFKA_BROKERS: secured.brokers,
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: secured.caFile,
        KAFKA_SASL_MECHANISM: secured.mechanism,
        KAFKA_SASL_USERNAME: secured.username,
        KAFKA_SASL_PASSWORD: secured.password,
      },
    });
    try {
      expect((await fetch(`${service.url}/health`)).status).toBe(200);
      const event = decidedApprovalEvent(1);
      await service.dataSource.transaction((manager) =>
        service.app
          .get(Outbox)
          .add(manager, ApprovalDecidedV1, { subject: event.subject, data: event.data, correlationId: event.correlationid }),
      );
      // The relay deletes a row once Kafka acknowledged it.
      const sql = await service.sql();
      await waitFor('the relay to publish the row through the secured listener', async () => {
        const rows = await sql.query(`SELECT 1 FROM outbox WHERE correlation_id = $1`, [event.correlationid]);
        return rows.rowCount === 0;
      });
    } finally {
      await service.stop();
    }
  });

  it('fails at once with an authentication error when the password is wrong', async () => {
    const client = clientOf(settings({ KAFKA_SASL_PASSWORD: `not-${secured.password}` }));
    const started = Date.now();
    const error = await client.admin().then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.name).toBe('KafkaJSSASLAuthenticationError');
    expect(error?.message).toMatch(/SCRAM SHA(256|512) authentication failed/);
    // Not retried: with the client's retry settings, a retried failure would take 20 s and more.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("refuses a broker whose certificate the CA file's CA did not sign", async () => {
    const otherCa = join(dir, 'other-ca.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=another CA'].concat([
        '-keyout',
        join(dir, 'other-ca.key'),
        '-out',
        otherCa,
      ]),
      { stdio: 'ignore' },
    );
    const config = settings({ KAFKA_SSL_CA_FILE: otherCa, KAFKA_SASL_PASSWORD: secured.password });
    // The same options as the service's client, without its retries: the first failure is the answer.
    const admin = new Kafka({
      clientId: 'kafka-security',
      brokers: [secured.brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      ...kafkaSecurityOptions(config),
    }).admin();
    try {
      await expect(admin.connect()).rejects.toThrow(/self[- ]signed certificate|unable to verify|unable to get local issuer/);
    } finally {
      await admin.disconnect();
    }
  });
});
