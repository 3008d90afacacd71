import { Kafka, logLevel } from 'kafkajs';
import { ConsumerExit, InternalBroker, InternalCluster, recordJoins } from './consumer-exit';
import { recordedByGoneProcess, THIS_PROCESS } from './consumer-member';

describe('recordedByGoneProcess (whose member a starting consumer may take out of the group, ADR 0077)', () => {
  const self = { host: 'node-a', pid: 4242, boot: 'boot-self' };
  const running = (alive: number[]) => (pid: number) => alive.includes(pid);

  it('never takes a member this process recorded (its own consumers leave by themselves)', () => {
    expect(recordedByGoneProcess({ ...self }, { named: true, self, running: running([]) })).toBe(false);
  });

  it('takes the member of a process on this host that no longer runs', () => {
    expect(recordedByGoneProcess({ host: 'node-a', pid: 17, boot: 'boot-old' }, { named: false, self, running: running([4242]) })).toBe(
      true,
    );
  });

  it('leaves alone a live process on this host that has the same instance name', () => {
    expect(recordedByGoneProcess({ host: 'node-a', pid: 17, boot: 'boot-old' }, { named: false, self, running: running([17, 4242]) })).toBe(
      false,
    );
  });

  it("takes the member of an earlier process with this one's process id (a container started again: pid 1 both times)", () => {
    expect(recordedByGoneProcess({ host: 'node-a', pid: 4242, boot: 'boot-old' }, { named: false, self, running: running([4242]) })).toBe(
      true,
    );
  });

  it('on another host: takes it when the instance is named (a pod started again), not when replicas share the bare service name', () => {
    const elsewhere = { host: 'node-b', pid: 1, boot: 'boot-old' };
    expect(recordedByGoneProcess(elsewhere, { named: true, self, running: running([1]) })).toBe(true);
    expect(recordedByGoneProcess(elsewhere, { named: false, self, running: running([]) })).toBe(false);
  });

  it('checks real processes by default: this one runs', () => {
    expect(
      recordedByGoneProcess(
        { host: THIS_PROCESS.host, pid: process.pid, boot: 'another' },
        { named: false, self: { ...THIS_PROCESS, pid: -1 } },
      ),
    ).toBe(false);
  });
});

describe('ConsumerExit.removeMember', () => {
  function exitWith(coordinator: Partial<InternalBroker>): ConsumerExit {
    const exit = ConsumerExit.create(new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }), { groupId: 'g' });
    const cluster = (exit as unknown as { cluster: InternalCluster }).cluster;
    cluster.connect = async () => undefined;
    cluster.findGroupCoordinator = async () => coordinator as InternalBroker;
    return exit;
  }

  it('sends LeaveGroup naming the member to the group coordinator', async () => {
    const leaveGroup = jest.fn(async () => ({}));
    await expect(exitWith({ leaveGroup }).removeMember('member-dead', 1000)).resolves.toBe('left');
    expect(leaveGroup).toHaveBeenCalledWith({ groupId: 'g', memberId: 'member-dead' });
  });

  it('asks again while the coordinator cannot answer yet (a group still loading after a broker restart)', async () => {
    const loading = Object.assign(new Error('The coordinator is loading'), { type: 'COORDINATOR_LOAD_IN_PROGRESS' });
    const leaveGroup = jest.fn().mockRejectedValueOnce(loading).mockResolvedValueOnce({});
    await expect(exitWith({ leaveGroup }).removeMember('member-dead', 2000)).resolves.toBe('left');
    expect(leaveGroup).toHaveBeenCalledTimes(2);
    const alwaysLoading = jest.fn(async () => Promise.reject(loading));
    await expect(exitWith({ leaveGroup: alwaysLoading }).removeMember('member-dead', 500)).resolves.toBe('COORDINATOR_LOAD_IN_PROGRESS');
  });

  it('says why not when the coordinator refuses (a member already gone) and when it does not answer', async () => {
    const gone = Object.assign(new Error('The coordinator is not aware of this member'), { type: 'UNKNOWN_MEMBER_ID' });
    await expect(exitWith({ leaveGroup: async () => Promise.reject(gone) }).removeMember('member-gone', 1000)).resolves.toBe(
      'UNKNOWN_MEMBER_ID',
    );
    await expect(exitWith({ leaveGroup: () => new Promise(() => undefined) }).removeMember('member-x', 50)).resolves.toBe('no answer');
  });

  it('tells onMember each member id the consumer joins with, once per id', async () => {
    const exit = exitWith({ joinGroup: async () => ({ memberId: 'member-1' }) });
    const seen: string[] = [];
    exit.onMember = (memberId) => seen.push(memberId);
    const cluster = (exit as unknown as { cluster: InternalCluster }).cluster;
    // The constructor wrapped the cluster's own lookup, which exitWith replaced: wrap the replacement the same way.
    recordJoins(cluster, (memberId) => (exit as unknown as { joined(id: string): void }).joined(memberId));
    const coordinator = await cluster.findGroupCoordinator({ groupId: 'g' });
    await coordinator.joinGroup({ groupId: 'g' });
    await coordinator.joinGroup({ groupId: 'g', memberId: 'member-1' });
    expect(seen).toEqual(['member-1']);
    expect(exit.memberId).toBe('member-1');
  });
});
