import { Kafka, logLevel } from 'kafkajs';
import { ConsumerExit, InternalBroker, InternalCluster, recordJoins, settlesWithin } from './consumer-exit';

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

describe('recordJoins', () => {
  /** A coordinator that answers each JoinGroup with the next member id, and a cluster that always finds it. */
  function fakeCluster(answers: string[]) {
    const requests: Array<{ groupId: string; memberId?: string }> = [];
    const coordinator = {
      joinGroup: jest.fn(async (request: { groupId: string; memberId?: string }) => {
        requests.push(request);
        const memberId = answers.shift();
        if (!memberId) throw new Error('the consumer is stopping');
        return { memberId, generationId: 1 };
      }),
    } as unknown as InternalBroker;
    const cluster = { findGroupCoordinator: async () => coordinator } as unknown as InternalCluster;
    return { cluster, requests };
  }

  it("knows the member id once the coordinator answers the JoinGroup, before kafkajs's GROUP_JOIN", async () => {
    const { cluster, requests } = fakeCluster(['member-1', 'member-1']);
    const seen: string[] = [];
    recordJoins(cluster, (memberId) => seen.push(memberId));
    const coordinator = await cluster.findGroupCoordinator({ groupId: 'g' });
    await expect(coordinator.joinGroup({ groupId: 'g', memberId: '' })).resolves.toMatchObject({ memberId: 'member-1' });
    expect(seen).toEqual(['member-1']);
    // A re-join (the same coordinator found again: wrapped once) carries its id, known before the answer.
    const again = await cluster.findGroupCoordinator({ groupId: 'g' });
    await again.joinGroup({ groupId: 'g', memberId: 'member-1' });
    expect(seen).toEqual(['member-1', 'member-1', 'member-1']);
    expect(requests.map((request) => request.memberId)).toEqual(['', 'member-1']);
  });

  it("knows a new member's id from kafkajs's second JoinGroup (after MEMBER_ID_REQUIRED), before the rebalance answers it", async () => {
    const seen: string[] = [];
    let answer!: (value: { memberId: string }) => void;
    const coordinator = {
      lookupRequest: (apiKey: number) => (request: { memberId?: string }) => ({ apiKey, ...request }),
      // As kafkajs's Broker.joinGroup: the builder is looked up at once; the second request carries the id the first was given.
      joinGroup(this: InternalBroker, request: { groupId: string; memberId?: string }) {
        const build = this.lookupRequest!(11, {});
        build({ memberId: request.memberId });
        return Promise.resolve().then(() => {
          build({ memberId: 'member-new' });
          return new Promise<{ memberId: string }>((resolve) => (answer = resolve));
        });
      },
    } as unknown as InternalBroker;
    const cluster = { findGroupCoordinator: async () => coordinator } as unknown as InternalCluster;
    recordJoins(cluster, (memberId) => seen.push(memberId));
    const found = await cluster.findGroupCoordinator({ groupId: 'g' });
    const joining = found.joinGroup({ groupId: 'g', memberId: '' });
    await new Promise((resolve) => setImmediate(resolve));
    // The rebalance has not answered yet: the id is known all the same.
    expect(seen).toEqual(['member-new']);
    answer({ memberId: 'member-new' });
    await joining;
    // The lookup is kafkajs's own again after the call.
    expect(coordinator.lookupRequest!(11, {})({ memberId: 'x' })).toEqual({ apiKey: 11, memberId: 'x' });
    expect(seen).toEqual(['member-new', 'member-new']);
  });

  it('knows a re-joining member id even when its JoinGroup fails (cut short by a stop)', async () => {
    const { cluster } = fakeCluster([]);
    const seen: string[] = [];
    recordJoins(cluster, (memberId) => seen.push(memberId));
    const coordinator = await cluster.findGroupCoordinator({ groupId: 'g' });
    await expect(coordinator.joinGroup({ groupId: 'g', memberId: 'member-7' })).rejects.toThrow('stopping');
    expect(seen).toEqual(['member-7']);
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
