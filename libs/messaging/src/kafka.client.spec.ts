import type { Kafka } from 'kafkajs';
import { BaseServiceConfig, ReadinessProbes } from '@backbone/platform';
import { KafkaClient } from './kafka.client';

/** A kafkajs client whose connections are counted and whose connect() is settled by the test. */
function fakeKafka() {
  const made: Array<{ connected: boolean; disconnected: boolean; settle: (error?: Error) => void }> = [];
  const client = () => {
    const state = { connected: false, disconnected: false, settle: (_error?: Error) => undefined as void };
    made.push(state);
    return {
      connect: () =>
        new Promise<void>((resolve, reject) => {
          state.settle = (error) => {
            if (error) return reject(error);
            state.connected = true;
            resolve();
          };
        }),
      disconnect: async () => {
        state.disconnected = true;
      },
    };
  };
  return { kafka: { admin: client, producer: client } as unknown as Kafka, made };
}

function clientWith(kafka: Kafka): KafkaClient {
  const config = Object.assign(new BaseServiceConfig(), { KAFKA_BROKERS: '127.0.0.1:9', KAFKA_NAMESPACE: '' });
  const probes = { register: () => undefined } as unknown as ReadinessProbes;
  const client = new KafkaClient(config, 'test', probes);
  Object.assign(client, { kafka });
  return client;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KafkaClient connections', () => {
  it('callers at the same moment share one connection', async () => {
    const { kafka, made } = fakeKafka();
    const client = clientWith(kafka);
    const both = Promise.all([client.admin(), client.admin()]);
    expect(made).toHaveLength(1);
    made[0].settle();
    const [first, second] = await both;
    expect(first).toBe(second);
    await client.admin();
    expect(made).toHaveLength(1);
  });

  it('forgets a failed connection: the next call connects again', async () => {
    const { kafka, made } = fakeKafka();
    const client = clientWith(kafka);
    const failing = client.producer();
    made[0].settle(new Error('broker unreachable'));
    await expect(failing).rejects.toThrow('broker unreachable');
    const next = client.producer();
    expect(made).toHaveLength(2);
    made[1].settle();
    await expect(next).resolves.toBeDefined();
  });

  it('at shutdown disconnects what is connected or still connecting, and connects nothing afterwards', async () => {
    const { kafka, made } = fakeKafka();
    const client = clientWith(kafka);
    const admin = client.admin();
    made[0].settle();
    await admin;
    const producer = client.producer(); // still connecting when the service stops
    const stopping = client.onApplicationShutdown();
    await tick();
    made[1].settle();
    await producer;
    await stopping;
    expect(made.map((state) => state.disconnected)).toEqual([true, true]);
    await expect(client.producer()).rejects.toThrow('shut down');
    expect(made).toHaveLength(2);
  });
});
