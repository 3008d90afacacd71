import { Kafka, logLevel } from 'kafkajs';
import { ConsumerExit, settlesWithin } from './consumer-exit';

describe('ConsumerExit', () => {
  it("finds the cluster kafkajs builds for the consumer (kafkajs's internals as this version has them)", async () => {
    // Nothing connects: a consumer that was never started stops at once, without cutting anything short.
    const kafka = new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING });
    const exit = ConsumerExit.create(kafka, { groupId: 'g' });
    await exit.leave(1000, 1000);
    await exit.close(1000);
    expect(exit.forced).toBe(false);
    // The Kafka instance builds its other clients as before.
    expect(() => kafka.consumer({ groupId: 'h' })).not.toThrow();
  });

  it('refuses a kafkajs that does not build its clusters as expected', () => {
    expect(() => ConsumerExit.create({ consumer: () => ({}) } as unknown as Kafka, { groupId: 'g' })).toThrow(/kafkajs no longer/);
  });
});

describe('settlesWithin', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('says whether the promise settled (resolved or rejected) in time', async () => {
    await expect(settlesWithin(Promise.resolve(1), 100)).resolves.toBe(true);
    await expect(settlesWithin(Promise.reject(new Error('no')), 100)).resolves.toBe(true);
    const late = settlesWithin(new Promise(() => undefined), 100);
    await jest.advanceTimersByTimeAsync(100);
    await expect(late).resolves.toBe(false);
  });
});
